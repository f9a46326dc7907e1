using ChargerFirmware.DeviceTests;

namespace ChargerFirmware.Tests.DeviceRuntime;

/// <summary>The lines of a device run (see <see cref="RunFormat"/>), parsed.</summary>
public sealed class DeviceRunOutput
{
    public DeviceRunOutput(int status, string output, string errors)
    {
        Status = status;
        Output = output;
        Errors = errors;
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Transcript = lines.Where(l => l.StartsWith(RunFormat.Transcript, StringComparison.Ordinal)).Select(l => l[RunFormat.Transcript.Length..]).ToList();
        Checks = lines.Where(l => l.StartsWith(RunFormat.Pass, StringComparison.Ordinal) || l.StartsWith(RunFormat.Fail, StringComparison.Ordinal)).ToList();
        Targets = lines.Where(l => l.StartsWith(RunFormat.Target, StringComparison.Ordinal)).ToList();
        Heap = lines.Where(l => l.StartsWith(RunFormat.Heap, StringComparison.Ordinal))
            .Select(l => l[RunFormat.Heap.Length..].Split(RunFormat.Separator))
            .ToDictionary(f => f[0], f => long.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture));
        Summary = lines.LastOrDefault(l => l.StartsWith(RunFormat.Summary, StringComparison.Ordinal));
    }

    public int Status { get; }

    public string Output { get; }

    public string Errors { get; }

    public IReadOnlyList<string> Transcript { get; }

    /// <summary>Every PASS and FAIL line.</summary>
    public IReadOnlyList<string> Checks { get; }

    /// <summary>Every target line (name | meets or misses | detail).</summary>
    public IReadOnlyList<string> Targets { get; }

    public IReadOnlyDictionary<string, long> Heap { get; }

    public string? Summary { get; }

    /// <summary>The check line whose name starts with <paramref name="name"/>, or null.</summary>
    public string? Check(string name) => Checks.FirstOrDefault(c => c.IndexOf(name, StringComparison.Ordinal) == RunFormat.Pass.Length);

    /// <summary>The target line whose name starts with <paramref name="name"/>, or null.</summary>
    public string? Target(string name) => Targets.FirstOrDefault(t => t.IndexOf(name, StringComparison.Ordinal) == RunFormat.Target.Length);

    /// <summary>Everything the run printed, for a failure message.</summary>
    public string Describe() => $"nanorun exit status {Status}\n{Output}\n{Errors}";
}
