using System.Diagnostics;

namespace ChargerFirmware.Simulator.Aggregator;

/// <summary>
/// The clock of an aggregator running alone beside simulated chargers: their simulated time runs
/// <c>speed</c> times faster than wall time, so it follows the time the chargers put in their
/// statuses and runs on at that speed between them (real time until the first status).
/// </summary>
public sealed class ClockFollower(double speed)
{
    private readonly object _gate = new();
    private long _seenUtcMs = -1;
    private long _seenAt;

    /// <summary>A charger said it was <paramref name="utcMs"/>.</summary>
    public void Observe(long utcMs)
    {
        lock (_gate)
        {
            if (utcMs > NowUnlocked())
            {
                _seenUtcMs = utcMs;
                _seenAt = Stopwatch.GetTimestamp();
            }
        }
    }

    /// <summary>The chargers' time now, Unix ms.</summary>
    public long NowMs()
    {
        lock (_gate)
        {
            return NowUnlocked();
        }
    }

    private long NowUnlocked() => _seenUtcMs < 0
        ? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()
        : _seenUtcMs + (long)(Stopwatch.GetElapsedTime(_seenAt).TotalMilliseconds * speed);
}
