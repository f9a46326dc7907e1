using System.Text.Json;

namespace ChargerFirmware.Bench.Report;

/// <summary>One target line of BENCHMARKS.md: what was asked, what was measured, and the verdict.</summary>
public sealed class TargetLine
{
    /// <summary>Order in the targets list (the brief's order).</summary>
    public int Order { get; set; }

    public string Target { get; set; } = "";

    /// <summary>The figure and, for a miss, a short why.</summary>
    public string Figure { get; set; } = "";

    public bool Meets { get; set; }

    public string Render() => $"- {Target}: {Figure} — {(Meets ? "meets" : "misses")}";
}

/// <summary>
/// What one part (micro, memory, latency, fleet) measured: its Markdown section and target lines.
/// Saved beside the BenchmarkDotNet artifacts so a later run of another part still writes the whole report.
/// </summary>
public sealed class PartResult
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public string Part { get; set; } = "";

    public DateTime RunAtUtc { get; set; } = DateTime.UtcNow;

    public bool Quick { get; set; }

    public string Markdown { get; set; } = "";

    public List<TargetLine> Targets { get; set; } = [];

    public static string Folder(string repoRoot) => Path.Combine(repoRoot, "BenchmarkDotNet.Artifacts", "charger-bench");

    public void Save(string repoRoot)
    {
        Directory.CreateDirectory(Folder(repoRoot));
        File.WriteAllText(Path.Combine(Folder(repoRoot), Part + ".json"), JsonSerializer.Serialize(this, Options));
    }

    public static PartResult? Load(string repoRoot, string part)
    {
        string path = Path.Combine(Folder(repoRoot), part + ".json");
        return File.Exists(path) ? JsonSerializer.Deserialize<PartResult>(File.ReadAllText(path), Options) : null;
    }
}
