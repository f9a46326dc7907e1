#Requires -Version 7.0
<#
.SYNOPSIS
    Builds the charger firmware application with the nanoFramework toolchain and flashes an ESP32 board.

.DESCRIPTION
    1. Restores the device projects' packages (packages.config) and builds Application/Application.nfproj
       with MSBuild and the .NET nanoFramework build targets (Visual Studio 2022 + nanoFramework
       extension).
    2. Writes the nanoFramework firmware (nanoBooter/nanoCLR) with nanoff --update.
    3. Deploys the application image (Application/bin/<Configuration>/ChargerFirmware.Application.bin) with
       nanoff --deploy and resets the board.

    -DryRun prints every command, one per line prefixed with "DRYRUN: ", and runs nothing (no tool or
    port checks either). Any failure stops the script with a message on stderr and exit code 1
    (2 for wrong parameters).

.PARAMETER SerialPort
    The board's serial port (COM5 on Windows, /dev/ttyUSB0 on Linux). Required. `nanoff --listports`
    lists them.

.PARAMETER Target
    nanoff target name. ESP32_PSRAM_REV0 suits an ESP32-WROVER module (it runs on any ESP32 with or
    without PSRAM, every silicon revision).

.PARAMETER Configuration
    Release (default) or Debug.

.PARAMETER FirmwareOnly
    Only write the nanoFramework firmware; no build, no deploy.

.PARAMETER ApplicationOnly
    Only build and deploy the application onto firmware already on the board.

.PARAMETER MassErase
    Erase the whole flash (application, configuration and the I:\ files) before writing the firmware.

.PARAMETER DeployAddress
    Flash address of the deployment region, hexadecimal (0x1B0000). By default nanoff uses the
    target's partition table.

.PARAMETER DryRun
    Print the commands instead of running them.

.EXAMPLE
    ./flash.ps1 -SerialPort COM5
.EXAMPLE
    ./flash.ps1 -SerialPort COM5 -ApplicationOnly -Configuration Debug
.EXAMPLE
    ./flash.ps1 -SerialPort /dev/ttyUSB0 -FirmwareOnly -MassErase -DryRun
#>
[CmdletBinding()]
param(
    [string] $SerialPort,
    [string] $Target = 'ESP32_PSRAM_REV0',
    [string] $Configuration = 'Release',
    [switch] $FirmwareOnly,
    [switch] $ApplicationOnly,
    [switch] $MassErase,
    [string] $DeployAddress,
    [switch] $DryRun
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

function Stop-WithError([string] $Message, [int] $Code = 1) {
    [Console]::Error.WriteLine("flash.ps1: $Message")
    exit $Code
}

function Format-Command([string] $Tool, [string[]] $Arguments) {
    $quoted = foreach ($argument in $Arguments) {
        if ($argument -match '\s') { '"' + $argument + '"' } else { $argument }
    }
    return (@($Tool) + $quoted) -join ' '
}

function Invoke-Step([string] $Tool, [string[]] $Arguments, [string] $What) {
    $line = Format-Command $Tool $Arguments
    if ($DryRun) {
        Write-Output "DRYRUN: $line"
        return
    }

    Write-Output "RUN: $line"
    & $Tool @Arguments
    if ($LASTEXITCODE -ne 0) {
        Stop-WithError "$What failed (exit code $LASTEXITCODE): $line"
    }
}

# MSBuild from PATH, else the newest Visual Studio's (vswhere); $null when neither exists.
function Find-MSBuild {
    $command = Get-Command msbuild -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($command) { return $command.Source }

    $programFiles = ${env:ProgramFiles(x86)}
    if (-not $programFiles) { return $null }
    $vswhere = Join-Path $programFiles 'Microsoft Visual Studio\Installer\vswhere.exe'
    if (-not (Test-Path $vswhere)) { return $null }
    $found = & $vswhere -latest -requires Microsoft.Component.MSBuild -find 'MSBuild\**\Bin\MSBuild.exe' | Select-Object -First 1
    if ($found) { return $found }
    return $null
}

# The nanoFramework extension installs its targets under <VS>\MSBuild\nanoFramework\v1.0.
function Test-NanoFrameworkTargets([string] $MSBuildExe) {
    $directory = Split-Path -Parent $MSBuildExe
    while ($directory -and ((Split-Path -Leaf $directory) -ne 'MSBuild')) {
        $directory = Split-Path -Parent $directory
    }
    if (-not $directory) { return $false }
    return Test-Path (Join-Path $directory 'nanoFramework/v1.0/NFProjectSystem.CSharp.targets')
}

# ---- parameters ----

if (-not $SerialPort) {
    Stop-WithError '-SerialPort is required (for example -SerialPort COM5; `nanoff --listports` lists the ports).' 2
}
if ($FirmwareOnly -and $ApplicationOnly) {
    Stop-WithError '-FirmwareOnly and -ApplicationOnly exclude each other (omit both to flash firmware and application).' 2
}
if ($ApplicationOnly -and $MassErase) {
    Stop-WithError '-MassErase erases the firmware too: it cannot go with -ApplicationOnly.' 2
}
if ($Target -notmatch '^[A-Za-z0-9_]+$') {
    Stop-WithError "-Target '$Target' is not a nanoff target name (letters, digits and underscores, e.g. ESP32_PSRAM_REV0)." 2
}
if ($Configuration -cnotin @('Release', 'Debug')) {
    Stop-WithError "-Configuration must be Release or Debug, not '$Configuration'." 2
}
if ($DeployAddress -and ($DeployAddress -notmatch '^0x[0-9A-Fa-f]+$')) {
    Stop-WithError "-DeployAddress '$DeployAddress' is not a hexadecimal address such as 0x1B0000." 2
}

$root = $PSScriptRoot
$separator = [IO.Path]::DirectorySeparatorChar
$buildApplication = -not $FirmwareOnly
$writeFirmware = -not $ApplicationOnly
$image = [IO.Path]::Combine($root, 'Application', 'bin', $Configuration, 'ChargerFirmware.Application.bin')

# ---- tools and board (real runs only) ----

$msbuild = 'msbuild'
if (-not $DryRun) {
    $ports = [System.IO.Ports.SerialPort]::GetPortNames()
    $isDevicePath = $SerialPort.StartsWith('/dev/') -and (Test-Path $SerialPort)
    if (($ports -notcontains $SerialPort) -and -not $isDevicePath) {
        $present = if ($ports.Count -gt 0) { $ports -join ', ' } else { 'none' }
        Stop-WithError "serial port '$SerialPort' not found (ports present: $present). Connect the board and check the port with ``nanoff --listports``."
    }

    if (-not (Get-Command nanoff -ErrorAction SilentlyContinue)) {
        Stop-WithError 'nanoff is not installed. Install it with: dotnet tool install -g nanoff'
    }

    if ($buildApplication) {
        $found = Find-MSBuild
        if (-not $found) {
            Stop-WithError 'MSBuild not found. Install Visual Studio 2022 (or its Build Tools) with the .NET nanoFramework extension, or put msbuild on PATH.'
        }
        if (-not (Test-NanoFrameworkTargets $found)) {
            Stop-WithError "the nanoFramework build targets are missing next to $found. Install the .NET nanoFramework extension for Visual Studio 2022."
        }
        $msbuild = $found
    }
}

# ---- build ----

if ($buildApplication) {
    $solutionDir = "-p:SolutionDir=$root$separator"
    foreach ($project in 'Protocol', 'Drivers', 'Firmware', 'Application') {
        $path = [IO.Path]::Combine($root, $project, "$project.nfproj")
        Invoke-Step $msbuild @($path, '-t:Restore', '-p:RestorePackagesConfig=true', $solutionDir, '-nologo') "package restore of $project.nfproj"
    }

    $applicationProject = [IO.Path]::Combine($root, 'Application', 'Application.nfproj')
    Invoke-Step $msbuild @($applicationProject, '-t:Build', "-p:Configuration=$Configuration", $solutionDir, '-nologo', '-v:minimal') 'build of Application.nfproj'

    if (-not $DryRun -and -not (Test-Path $image)) {
        Stop-WithError "the build produced no deployment image at $image."
    }
}

# ---- flash ----

if ($writeFirmware) {
    $arguments = @('--target', $Target, '--serialport', $SerialPort, '--update')
    if ($MassErase) { $arguments += '--masserase' }
    Invoke-Step 'nanoff' $arguments 'firmware update'
}

if ($buildApplication) {
    $arguments = @('--target', $Target, '--serialport', $SerialPort, '--deploy', '--image', $image)
    if ($DeployAddress) { $arguments += @('--address', $DeployAddress) }
    $arguments += '--reset'
    Invoke-Step 'nanoff' $arguments 'application deployment'
}

if (-not $DryRun) {
    Write-Output "Done: $SerialPort flashed ($Target)."
}
exit 0
