using ChargerFirmware.Drivers;

namespace ChargerFirmware.Simulator.Time;

/// <summary>
/// One charger's clock: moves only when the scheduler steps the charger, one control tick at a
/// time, so the firmware, the bus and the physics all see the same simulated instant. Read from
/// any thread (the display, the link, the aggregator).
/// </summary>
public sealed class SimClock : IClock
{
    private long _monotonicMs;

    /// <summary>A clock at simulated monotonic 0 whose UTC is <paramref name="utcStartMs"/> plus monotonic time.</summary>
    public SimClock(long utcStartMs) => UtcStartMs = utcStartMs;

    /// <summary>UTC at monotonic 0, Unix ms.</summary>
    public long UtcStartMs { get; }

    /// <inheritdoc />
    public long MonotonicMs => Volatile.Read(ref _monotonicMs);

    /// <inheritdoc />
    public long UtcMs => UtcStartMs + MonotonicMs;

    /// <inheritdoc />
    public bool UtcSynchronized => true;

    /// <summary>Moves simulated time forward by <paramref name="ms"/>.</summary>
    public void Advance(long ms)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ms);
        Volatile.Write(ref _monotonicMs, _monotonicMs + ms);
    }
}
