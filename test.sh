#!/usr/bin/env bash
# Runs every check of the project: the nano gate, the AsyncAPI CLI on the wire contract, then the
# whole host suite (unit, property, fuzz, portability, flash.ps1 dry runs, integration tests against a real
# mosquitto that the tests start themselves on a free loopback port, field-bus interop tests against
# libmodbus slaves on socat pseudo-terminals, the aggregator server's tests against a throw-away
# PostgreSQL cluster, SQLite files and headless Chromium, and the device-runtime tests on nanoCLR).
# Installs what the tests need when it is missing: mosquitto, socat, gcc, libmodbus-dev, postgresql,
# chromium and chromium-driver (Debian), qemu-user-static (Debian, when the 32-bit nanoCLR cannot run
# natively), the AsyncAPI CLI (npm, into .tools/), PowerShell 7 (a .NET tool, into .tools/).
set -euo pipefail
cd "$(dirname "$0")"
tools="$PWD/.tools"
mkdir -p "$tools"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

debian=()
if ! command -v mosquitto >/dev/null 2>&1 && [ ! -x /usr/sbin/mosquitto ]; then debian+=(mosquitto); fi
if ! command -v socat >/dev/null 2>&1; then debian+=(socat); fi
if ! command -v gcc >/dev/null 2>&1; then debian+=(gcc libc6-dev); fi
if [ ! -f /usr/include/modbus/modbus.h ]; then debian+=(libmodbus-dev); fi
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then debian+=(postgresql); fi
if [ ! -x /usr/bin/chromium ]; then debian+=(chromium); fi
if [ ! -x /usr/bin/chromedriver ]; then debian+=(chromium-driver); fi
if [ ${#debian[@]} -gt 0 ]; then
  echo "== installing ${debian[*]} (Debian packages)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${debian[@]}" >/dev/null
fi

# The device-runtime tests run the firmware on the 32-bit nanoCLR (../shared/tools/nanoclr, outside the
# repository; skipped with the reason when it is absent). A kernel without IA-32 support runs it through
# qemu-i386-static (Debian's qemu-user-static).
nanoclr_x86="../shared/tools/nanoclr/x86/nanoclr"
if [ -x "$nanoclr_x86" ]; then
  # Status 1 is nanoCLR refusing the argument: it ran natively. 126 (cannot execute) or any other needs qemu.
  native=0; "$nanoclr_x86" nanorun-probe >/dev/null 2>&1 || native=$?
  if [ "$native" != 1 ] && ! command -v qemu-i386-static >/dev/null 2>&1; then
    echo "== installing qemu-user-static (Debian package, runs the 32-bit nanoCLR)"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq qemu-user-static >/dev/null
  fi
fi

if [ ! -x "$tools/node_modules/.bin/asyncapi" ]; then
  echo "== installing the AsyncAPI CLI (npm)"
  (cd "$tools" && npm install --no-audit --no-fund --silent @asyncapi/cli@6.2.0 >/dev/null)
fi

if [ ! -x "$tools/pwsh" ]; then
  echo "== installing PowerShell 7.6.9 (.NET tool)"
  dotnet tool install PowerShell --version 7.6.9 --tool-path "$tools" >/dev/null
fi

export PATH="$tools:$tools/node_modules/.bin:/usr/sbin:$PATH"

echo "== nano gate: portable projects against nanoFramework's mscorlib"
dotnet build ChargerFirmware.sln -c Nano -nologo -v q

echo "== AsyncAPI document, validated by the AsyncAPI project's own CLI"
CI=true SUPPRESS_NO_CONFIG_WARNING=1 asyncapi validate Protocol/asyncapi.yaml --fail-severity warn

echo "== host test suite"
log=$(mktemp)
set +e
dotnet test ChargerFirmware.sln -nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One summary line per test project: add them up.
summaries=$(grep -E "^(Passed|Failed)!" "$log" || true)
passed=$(sed -nE 's/.*Passed: +([0-9]+).*/\1/p' <<<"$summaries" | awk '{s+=$1} END {print s+0}')
failed=$(sed -nE 's/.*Failed: +([0-9]+).*/\1/p' <<<"$summaries" | awk '{s+=$1} END {print s+0}')
rm -f "$log"
echo "tests: ${passed} passed, ${failed} failed"
exit "$status"
