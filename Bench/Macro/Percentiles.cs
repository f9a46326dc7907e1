using System.Globalization;

namespace ChargerFirmware.Bench.Macro;

/// <summary>Nearest-rank percentiles of a sample of latencies in ms.</summary>
public sealed class Percentiles
{
    private readonly double[] _sorted;

    public Percentiles(IEnumerable<double> samples)
    {
        _sorted = samples.Order().ToArray();
        if (_sorted.Length == 0)
        {
            throw new ArgumentException("no samples", nameof(samples));
        }
    }

    public int Count => _sorted.Length;

    public double P50 => At(50);

    public double P99 => At(99);

    public double Max => _sorted[^1];

    public double Mean => _sorted.Average();

    public double At(double percent) => _sorted[Math.Clamp((int)Math.Ceiling(percent / 100 * _sorted.Length) - 1, 0, _sorted.Length - 1)];

    /// <summary>"p50 | p99 | mean | max" cells for a Markdown row.</summary>
    public string Cells() => $"{Ms(P50)} | {Ms(P99)} | {Ms(Mean)} | {Ms(Max)}";

    public static string Ms(double ms) => ms >= 100
        ? string.Create(CultureInfo.InvariantCulture, $"{ms:F0} ms")
        : string.Create(CultureInfo.InvariantCulture, $"{ms:F2} ms");

    public static double MsSince(long startTimestamp, long endTimestamp) =>
        (endTimestamp - startTimestamp) * 1000.0 / System.Diagnostics.Stopwatch.Frequency;
}
