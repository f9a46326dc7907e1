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
    public long TargetMs => (long)(_wall.Elapsed.TotalMilliseconds * Speed);

    /// <summary>Wall time since start.</summary>
    public TimeSpan WallElapsed => _wall.Elapsed;

    /// <summary>Starts the simulated time.</summary>
    public void Start() => _wall.Start();

    /// <summary>Wall ms until simulated time reaches <paramref name="simMs"/> (0 when already there).</summary>
    public double WallMsUntil(long simMs)
    {
        double remaining = (simMs / Speed) - _wall.Elapsed.TotalMilliseconds;
        return remaining > 0 ? remaining : 0;
    }
}
