using System.Diagnostics;
using ChargerFirmware.Tests.Support;
using Xunit;

namespace ChargerFirmware.Tests.Device;

/// <summary>flash.ps1 run by PowerShell 7 (test.sh installs it into .tools/): dry runs print the commands it would run.</summary>
public class FlashScriptTests
{
    private const string Prefix = "DRYRUN: ";

    private static readonly string Script = RepositoryFiles.PathOf("flash.ps1");

    private static string Image(string configuration) =>
        Path.Combine(RepositoryFiles.Root, "Application", "bin", configuration, "ChargerFirmware.Application.bin");

    private static string FindPwsh()
    {
        string name = OperatingSystem.IsWindows() ? "pwsh.exe" : "pwsh";
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(RepositoryFiles.PathOf(".tools"))
            .Select(dir => Path.Combine(dir, name));
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new Xunit.Sdk.XunitException("PowerShell 7 (pwsh) is not on PATH: run ./test.sh, which installs it into .tools/ and puts it on PATH.");
    }

    private static (int ExitCode, string[] Commands, string Output, string Error) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(FindPwsh())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "-NoProfile", "-NonInteractive", "-File", Script }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "flash.ps1 did not finish within 60 s");
        string[] commands = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith(Prefix, StringComparison.Ordinal))
            .Select(l => l[Prefix.Length..])
            .ToArray();
        return (process.ExitCode, commands, output, error.Result);
    }

    private static void AssertRestoresAndBuilds(string[] commands, string configuration)
    {
        string[] msbuild = commands.Where(c => c.Split(' ')[0].EndsWith("msbuild", StringComparison.OrdinalIgnoreCase)
            || c.Split(' ')[0].EndsWith("MSBuild.exe", StringComparison.OrdinalIgnoreCase)).ToArray();
        Assert.Equal(5, msbuild.Length);
        string separator = Path.DirectorySeparatorChar.ToString();
        string solutionDir = "-p:SolutionDir=" + RepositoryFiles.Root + separator;
        foreach (var (project, i) in new[] { "Protocol", "Drivers", "Firmware", "Application" }.Select((p, i) => (p, i)))
        {
            Assert.EndsWith(
                $" {Path.Combine(RepositoryFiles.Root, project, project + ".nfproj")} -t:Restore -p:RestorePackagesConfig=true {solutionDir} -nologo",
                msbuild[i]);
        }

        Assert.EndsWith(
            $" {Path.Combine(RepositoryFiles.Root, "Application", "Application.nfproj")} -t:Build -p:Configuration={configuration} {solutionDir} -nologo -v:minimal",
            msbuild[4]);
    }

    [Fact]
    public void Default_run_builds_then_writes_firmware_then_deploys_the_application()
    {
        var run = Run("-SerialPort", "COM5", "-DryRun");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(7, run.Commands.Length);
        AssertRestoresAndBuilds(run.Commands, "Release");
        Assert.Equal("nanoff --target ESP32_PSRAM_REV0 --serialport COM5 --update", run.Commands[5]);
        Assert.Equal($"nanoff --target ESP32_PSRAM_REV0 --serialport COM5 --deploy --image {Image("Release")} --reset", run.Commands[6]);
    }

    [Fact]
    public void Firmware_only_writes_the_firmware_and_builds_nothing()
    {
        var run = Run("-SerialPort", "COM5", "-FirmwareOnly", "-DryRun");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["nanoff --target ESP32_PSRAM_REV0 --serialport COM5 --update"], run.Commands);
    }

    [Fact]
    public void Application_only_builds_and_deploys_without_touching_the_firmware()
    {
        var run = Run("-SerialPort", "/dev/ttyUSB0", "-ApplicationOnly", "-DryRun");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(6, run.Commands.Length);
        AssertRestoresAndBuilds(run.Commands, "Release");
        Assert.DoesNotContain(run.Commands, c => c.Contains("--update", StringComparison.Ordinal));
        Assert.Equal($"nanoff --target ESP32_PSRAM_REV0 --serialport /dev/ttyUSB0 --deploy --image {Image("Release")} --reset", run.Commands[5]);
    }

    [Fact]
    public void Mass_erase_goes_with_the_firmware_update()
    {
        var run = Run("-SerialPort", "COM5", "-MassErase", "-DryRun");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("nanoff --target ESP32_PSRAM_REV0 --serialport COM5 --update --masserase", run.Commands[5]);
        Assert.DoesNotContain("--masserase", run.Commands[6], StringComparison.Ordinal);
    }

    [Fact]
    public void Custom_target_configuration_and_address_reach_the_commands()
    {
        var run = Run("-SerialPort", "COM12", "-Target", "ESP32_REV3", "-Configuration", "Debug", "-DeployAddress", "0x1B0000", "-DryRun");

        Assert.Equal(0, run.ExitCode);
        AssertRestoresAndBuilds(run.Commands, "Debug");
        Assert.Equal("nanoff --target ESP32_REV3 --serialport COM12 --update", run.Commands[5]);
        Assert.Equal($"nanoff --target ESP32_REV3 --serialport COM12 --deploy --image {Image("Debug")} --address 0x1B0000 --reset", run.Commands[6]);
    }

    [Fact]
    public void Missing_serial_port_stops_with_a_message()
    {
        var run = Run("-DryRun");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Empty(run.Commands);
        Assert.Contains("-SerialPort is required", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-FirmwareOnly -ApplicationOnly", "exclude each other")]
    [InlineData("-ApplicationOnly -MassErase", "cannot go with -ApplicationOnly")]
    [InlineData("-DeployAddress 1B0000", "not a hexadecimal address")]
    [InlineData("-Configuration Fast", "Release or Debug")]
    [InlineData("-Target ESP32;calc", "not a nanoff target name")]
    public void Contradictory_or_malformed_options_stop_before_doing_anything(string options, string message)
    {
        var run = Run(["-SerialPort", "COM5", "-DryRun", .. options.Split(' ')]);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Commands);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Real_run_on_a_port_that_does_not_exist_fails_naming_the_port()
    {
        var run = Run("-SerialPort", "COM219");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("serial port 'COM219' not found", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("RUN:", run.Output, StringComparison.Ordinal);
    }
}
