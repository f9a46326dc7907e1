using ChargerFirmware.Drivers;

namespace ChargerFirmware.VirtualHardware;

/// <summary>A clock that moves only when told: every timing rule is tested without sleeping.</summary>
public sealed class ManualClock : IClock
{
    /// <summary>Starts at monotonic 0 and the given wall time (Unix ms), synchronised.</summary>
    public ManualClock(long utcStartMs = 1_798_761_600_000) // 2027-01-01T00:00:00Z
    {
        UtcStartMs = utcStartMs;
        UtcSynchronized = true;
    }

    /// <summary>Wall time at monotonic 0.</summary>
    public long UtcStartMs { get; set; }

    /// <inheritdoc />
    public long MonotonicMs { get; private set; }

    /// <inheritdoc />
    public long UtcMs => UtcStartMs + MonotonicMs;

    /// <inheritdoc />
    public bool UtcSynchronized { get; set; }

    /// <summary>Moves time forward.</summary>
    public void Advance(long ms)
    {
        if (ms < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ms), "monotonic time never goes backwards");
        }

        MonotonicMs += ms;
    }
}
