using ChargerFirmware.Drivers;
using ChargerFirmware.Drivers.Contactor;

namespace ChargerFirmware.VirtualHardware;

/// <summary>
/// A contactor whose auxiliary feedback follows the coil, at once or after a closing / opening
/// delay measured on a clock. Faults: welded contacts (feedback stays closed) and a contactor that
/// never closes.
/// </summary>
public sealed class VirtualContactor : IContactor
{
    private readonly IClock? _clock;
    private readonly int _closeDelayMs;
    private readonly int _openDelayMs;
    private bool _feedbackBeforeChange;
    private long _changedAtMs;

    /// <summary>A contactor whose feedback follows the drive at once.</summary>
    public VirtualContactor()
    {
    }

    /// <summary>A contactor whose feedback follows the drive after the given delays on <paramref name="clock"/>.</summary>
    public VirtualContactor(IClock clock, int closeDelayMs, int openDelayMs)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentOutOfRangeException.ThrowIfNegative(closeDelayMs);
        ArgumentOutOfRangeException.ThrowIfNegative(openDelayMs);
        _clock = clock;
        _closeDelayMs = closeDelayMs;
        _openDelayMs = openDelayMs;
    }

    /// <summary>The coil's drive: true commands closed.</summary>
    public bool Driven { get; private set; }

    /// <summary>How many times the drive changed (switching cycles).</summary>
    public int Operations { get; private set; }

    /// <summary>Injected weld: the feedback reports closed whatever the drive.</summary>
    public bool Welded { get; set; }

    /// <summary>Injected broken coil or contacts: the feedback never reports closed (a weld still wins).</summary>
    public bool StuckOpen { get; set; }

    /// <inheritdoc />
    public bool FeedbackClosed => Welded || (!StuckOpen && ContactsClosed());

    /// <inheritdoc />
    public void Drive(bool closed)
    {
        if (closed == Driven)
        {
            return;
        }

        _feedbackBeforeChange = ContactsClosed();
        _changedAtMs = _clock?.MonotonicMs ?? 0;
        Driven = closed;
        Operations++;
    }

    private bool ContactsClosed()
    {
        if (_clock is null)
        {
            return Driven;
        }

        int delayMs = Driven ? _closeDelayMs : _openDelayMs;
        return _clock.MonotonicMs - _changedAtMs >= delayMs ? Driven : _feedbackBeforeChange;
    }
}
