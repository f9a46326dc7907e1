using ChargerFirmware.Simulator.Hardware;

namespace ChargerFirmware.Simulator.Time;

/// <summary>
/// Steps every charger's control loop up to the time base's target from a few threads (one
/// control-loop thread per charger would be hundreds of threads for a fleet; a tick is cheap).
/// Each thread owns a fixed share of the chargers and steps each of them in bursts, round-robin,
/// so every charger keeps up with simulated time; when all are there it sleeps until the next tick
/// is due. Simulated time never skips a tick: a charger that falls behind catches up tick by tick.
/// </summary>
public sealed class Scheduler
{
    private const int BurstTicks = 50;

    private readonly SimTimeBase _time;
    private readonly SimulatedCharger[] _chargers;
    private readonly WorkerThreads _threads;
    private readonly long[] _slowestByThread;
    private readonly int _tickMs;
    private volatile bool _running;
    private Exception? _failure;

    /// <summary>Steps <paramref name="chargers"/> on <paramref name="threads"/> threads (at most one per charger).</summary>
    public Scheduler(SimTimeBase time, IReadOnlyList<SimulatedCharger> chargers, int threads)
    {
        if (chargers.Count == 0)
        {
            throw new ArgumentException("no chargers to run", nameof(chargers));
        }

        _time = time;
        _chargers = [.. chargers];
        _tickMs = _chargers[0].Config.TickMs;
        int count = Math.Clamp(threads, 1, _chargers.Length);
        _slowestByThread = new long[count];
        _threads = new WorkerThreads(count, "sim-scheduler", Run);
    }

    /// <summary>Simulated ms every charger has reached (the slowest one).</summary>
    public long SlowestMs
    {
        get
        {
            long slowest = long.MaxValue;
            for (int t = 0; t < _slowestByThread.Length; t++)
            {
                slowest = Math.Min(slowest, Volatile.Read(ref _slowestByThread[t]));
            }

            return slowest;
        }
    }

    /// <summary>Number of scheduler threads.</summary>
    public int ThreadCount => _threads.Count;

    /// <summary>An exception that stopped a scheduler thread, or null.</summary>
    public Exception? Failure => _failure;

    /// <summary>Starts the time base (if not yet) and the threads.</summary>
    public void Start()
    {
        _running = true;
        if (!_time.Started)
        {
            _time.Start();
        }

        _threads.Start();
    }

    /// <summary>Stops the threads after their current burst and waits for them.</summary>
    public void Stop()
    {
        _running = false;
        _threads.Join();
    }

    private void Run(int index)
    {
        try
        {
            while (_running)
            {
                long target = _time.TargetMs;
                long slowest = long.MaxValue;
                bool behind = false;
                for (int i = index; i < _chargers.Length; i += _threads.Count)
                {
                    SimulatedCharger charger = _chargers[i];
                    for (int n = 0; n < BurstTicks && charger.NowMs + _tickMs <= target; n++)
                    {
                        charger.Step();
                    }

                    behind |= charger.NowMs + _tickMs <= target;
                    slowest = Math.Min(slowest, charger.NowMs);
                }

                Volatile.Write(ref _slowestByThread[index], slowest);
                if (!behind)
                {
                    WaitFor(slowest + _tickMs);
                }
            }
        }
        catch (Exception e)
        {
            _failure = e;
            _running = false;
        }
    }

    private void WaitFor(long simMs)
    {
        // At high speed a tick is far shorter than the sleep granularity: sleep a millisecond and
        // step the ticks that fell due meanwhile in one burst, rather than spin.
        double wallMs = _time.WallMsUntil(simMs);
        if (wallMs > 0)
        {
            Thread.Sleep(Math.Max(1, (int)wallMs));
        }
    }
}
