using System.Diagnostics;
using ChargerFirmware.Tests.Support;
using Xunit;

namespace ChargerFirmware.Tests.DeviceRuntime;

/// <summary>
/// The nanoFramework interpreter for Linux (nanoCLR) and its runner, <c>nanorun</c>, which live beside the
/// repository at <c>../shared/tools/nanoclr</c> (not part of it, and not on any package registry).
/// Tests that need it are skipped, with the reason, when it is not there.
/// </summary>
internal static class NanoClr
{
    public static string Folder { get; } = Path.GetFullPath(Path.Combine(RepositoryFiles.Root, "..", "shared", "tools", "nanoclr"));

    public static string Runner => Path.Combine(Folder, "nanorun");

    /// <summary>The device-runtime program as the device build makes it (Release), with the portable assemblies beside it.</summary>
    public static string DeviceProgram => RepositoryFiles.PathOf("Firmware.DeviceTests", "bin", "Release", "netstandard2.0", "ChargerFirmware.DeviceTests.dll");

    /// <summary>Null when the runtime can be used, else why not.</summary>
    public static string? Missing { get; } = File.Exists(Path.Combine(Folder, "nanorun")) && File.Exists(Path.Combine(Folder, "x86", "nanoclr"))
        ? null
        : $"the nanoCLR runtime is not at {Folder} (nanorun and x86/nanoclr): the device-runtime tests need it";

    /// <summary>Runs <paramref name="program"/> on the 32-bit interpreter (the device's heap layout); returns the exit status and the output.</summary>
    public static (int Status, string Output, string Errors) Run(string program, int timeoutSeconds)
    {
        var start = new ProcessStartInfo(Runner)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "--arch", "x86", "--timeout", timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), program })
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("nanorun did not start");
        Task<string> errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, errors.Result);
    }
}

/// <summary>A fact that needs nanoCLR: skipped, saying why, when the runtime is absent.</summary>
public sealed class NanoClrFactAttribute : FactAttribute
{
    public NanoClrFactAttribute()
    {
        if (NanoClr.Missing != null)
        {
            Skip = NanoClr.Missing;
        }
    }
}

/// <summary>A theory that needs nanoCLR: skipped, saying why, when the runtime is absent.</summary>
public sealed class NanoClrTheoryAttribute : TheoryAttribute
{
    public NanoClrTheoryAttribute()
    {
        if (NanoClr.Missing != null)
        {
            Skip = NanoClr.Missing;
        }
    }
}
