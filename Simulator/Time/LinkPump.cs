using ChargerFirmware.Simulator.Hardware;

namespace ChargerFirmware.Simulator.Time;

/// <summary>
/// Steps the chargers' aggregator links from a few threads, every <see cref="PeriodMs"/> of wall
/// time, at each charger's own simulated time. Kept apart from the control-loop scheduler: a link
/// may wait on the broker (connect, QoS 1 publish), a control tick must never.
/// </summary>
public sealed class LinkPump
{
    private readonly SimulatedCharger[] _chargers;
    private readonly WorkerThreads _threads;
    private volatile bool _running;

    /// <summary>Steps the links of <paramref name="chargers"/> on <paramref name="threads"/> threads.</summary>
    public LinkPump(IReadOnlyList<SimulatedCharger> chargers, int threads)
    {
        _chargers = [.. chargers];
        _threads = new WorkerThreads(Math.Clamp(threads, 1, Math.Max(1, _chargers.Length)), "sim-links", Run);
    }

    /// <summary>Wall ms between two rounds of one link.</summary>
    public int PeriodMs { get; init; } = 20;

    private int _errors;

    /// <summary>Link errors caught (a failing link never stops the others).</summary>
    public int Errors => Volatile.Read(ref _errors);

    /// <summary>The last link error, or null.</summary>
    public string? LastError { get; private set; }

    /// <summary>Starts the threads.</summary>
    public void Start()
    {
        _running = true;
        _threads.Start();
    }

    /// <summary>Stops the threads, then takes every link offline cleanly.</summary>
    public void Stop()
    {
        _running = false;
        _threads.Join();

        Parallel.ForEach(_chargers, new ParallelOptions { MaxDegreeOfParallelism = 8 }, c => c.Link?.Shutdown());
    }

    private void Run(int index)
    {
        while (_running)
        {
            long started = Environment.TickCount64;
            for (int i = index; i < _chargers.Length && _running; i += _threads.Count)
            {
                SimulatedCharger charger = _chargers[i];
                try
                {
                    charger.Link?.Step(charger.NowMs);
                }
                catch (Exception e)
                {
                    Interlocked.Increment(ref _errors);
                    LastError = $"{charger.Id}: {e.Message}";
                }
            }

            long spent = Environment.TickCount64 - started;
            if (spent < PeriodMs)
            {
                Thread.Sleep((int)(PeriodMs - spent));
            }
        }
    }
}
