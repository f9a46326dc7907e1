using System.Diagnostics;
using System.Security.Cryptography;
using ChargerFirmware.Tests.Support;
using Xunit;

namespace ChargerFirmware.Tests.Interop;

/// <summary>
/// What the field-bus interop tests need on the machine: socat (pseudo-terminal pairs), gcc and
/// Debian's libmodbus-dev, from which <c>rtu_slave.c</c> is built once per source version into the
/// temporary folder. <c>./test.sh</c> installs socat and libmodbus-dev when they are missing.
/// </summary>
internal static class InteropTools
{
    private static readonly Lazy<string> _slave = new(BuildSlave);

    /// <summary>The built slave program.</summary>
    public static string SlaveProgram => _slave.Value;

    /// <summary>The socat binary, or a failure that says how to get it.</summary>
    public static string Socat()
    {
        string? found = Find("socat");
        Assert.True(found != null, "socat is not installed: run ./test.sh, which installs it, then run the tests again");
        return found!;
    }

    private static string BuildSlave()
    {
        string source = RepositoryFiles.PathOf("Firmware.Tests", "Interop", "rtu_slave.c");
        Assert.True(File.Exists("/usr/include/modbus/modbus.h"),
            "libmodbus-dev is not installed: run ./test.sh, which installs it, then run the tests again");
        string gcc = Find("gcc") ?? Find("cc") ?? throw new InvalidOperationException("no C compiler (gcc) on the PATH");

        string hash = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(source)))[..16];
        string folder = Path.Combine(Path.GetTempPath(), "charger-rtu-slave");
        Directory.CreateDirectory(folder);
        string binary = Path.Combine(folder, "rtu_slave-" + hash);
        if (File.Exists(binary))
        {
            return binary;
        }

        string building = binary + "." + Environment.ProcessId;
        var start = new ProcessStartInfo(gcc, ["-O2", "-Wall", "-o", building, source, "-I/usr/include/modbus", "-lmodbus"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using Process process = Process.Start(start)!;
        string errors = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, "building rtu_slave.c failed:\n" + errors);
        File.Move(building, binary, overwrite: true);
        return binary;
    }

    private static string? Find(string name)
    {
        return (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':')
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
    }
}
