using System.Diagnostics;

namespace ChargerFirmware.Simulator.Time;

/// <summary>
/// Where simulated time should be now: wall time since <see cref="Start"/> times <see cref="Speed"/>.
/// The scheduler steps every charger's clock tick by tick up to this target, so simulated time runs
/// <see cref="Speed"/> times faster than wall time without sleeping a tick's length per tick.
/// Wall time in the simulation (UTC) starts at the real time of day when the simulator started.
/// </summary>
public sealed class SimTimeBase
{
    private readonly Stopwatch _wall = new();
    private readonly object _gate = new();
    private TimeSpan _offset;
    private long? _frozenMs;

    /// <summary>A time base running <paramref name="speed"/> times faster than wall time, UTC starting at <paramref name="utcStartMs"/>.</summary>
    public SimTimeBase(double speed, long utcStartMs)
    {
        if (!(speed > 0) || double.IsInfinity(speed))
        {
            throw new ArgumentOutOfRangeException(nameof(speed), "speed must be a positive number");
        }

        Speed = speed;
        UtcStartMs = utcStartMs;
    }

    /// <summary>Simulated ms per wall ms.</summary>
    public double Speed { get; }

    /// <summary>Simulated UTC (Unix ms) at simulated monotonic 0.</summary>
    public long UtcStartMs { get; }

    /// <summary>True once <see cref="Start"/> was called.</summary>
    public bool Started => _wall.IsRunning;

    /// <summary>The simulated monotonic ms the chargers should have reached now (0 before <see cref="Start"/>).</summary>
    public long TargetMs
    {
        get
        {
            lock (_gate)
            {
                return _frozenMs ?? (long)(Running.TotalMilliseconds * Speed);
            }
        }
    }

    /// <summary>Wall time since start.</summary>
    public TimeSpan WallElapsed => _wall.Elapsed;

    /// <summary>Starts the simulated time.</summary>
    public void Start() => _wall.Start();

    /// <summary>
    /// Holds simulated time at <paramref name="atMs"/> (where the chargers are: on a loaded machine
    /// they lag behind the wall's target, and must not run on to it) until <see cref="Resume"/>:
    /// for something outside the simulation that takes wall time, such as a person's phone talking
    /// HTTP to a server, which at a high speed would otherwise take simulated minutes.
    /// </summary>
    public void Pause(long atMs)
    {
        lock (_gate)
        {
            _frozenMs ??= Math.Min(atMs, (long)(Running.TotalMilliseconds * Speed));
        }
    }

    /// <summary>Lets simulated time run on from where <see cref="Pause"/> held it.</summary>
    public void Resume()
    {
        lock (_gate)
        {
            if (_frozenMs is long frozen)
            {
                _offset = _wall.Elapsed - TimeSpan.FromMilliseconds(frozen / Speed);
                _frozenMs = null;
            }
        }
    }

    /// <summary>Wall ms until simulated time reaches <paramref name="simMs"/> (0 when already there).</summary>
    public double WallMsUntil(long simMs)
    {
        lock (_gate)
        {
            double remaining = _frozenMs is null ? (simMs / Speed) - Running.TotalMilliseconds : 20;
            return remaining > 0 ? remaining : 0;
        }
    }

    // Wall time the simulation was let run (call under the gate).
    private TimeSpan Running => _wall.Elapsed - _offset;
}
