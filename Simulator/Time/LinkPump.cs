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
    private readonly Thread[] _threads;
    private volatile bool _running;

    /// <summary>Steps the links of <paramref name="chargers"/> on <paramref name="threads"/> threads.</summary>
    public LinkPump(IReadOnlyList<SimulatedCharger> chargers, int threads)
    {
        _chargers = [.. chargers];
        int count = Math.Clamp(threads, 1, Math.Max(1, _chargers.Length));
        _threads = new Thread[count];
        for (int t = 0; t < count; t++)
        {
            int index = t;
            _threads[t] = new Thread(() => Run(index)) { IsBackground = true, Name = $"sim-links-{t}" };
        }
    }

    /// <summary>Wall ms between two rounds of one link.</summary>
    public int PeriodMs { get; init; } = 20;

    /// <summary>Link errors caught (a failing link never stops the others).</summary>
    public int Errors;

    /// <summary>The last link error, or null.</summary>
    public string? LastError { get; private set; }

    /// <summary>Starts the threads.</summary>
    public void Start()
    {
        _running = true;
        foreach (Thread thread in _threads)
        {
            thread.Start();
        }
    }

    /// <summary>Stops the threads, then takes every link offline cleanly.</summary>
    public void Stop()
    {
        _running = false;
        foreach (Thread thread in _threads)
        {
            if (thread.IsAlive)
            {
                thread.Join();
            }
        }

        Parallel.ForEach(_chargers, new ParallelOptions { MaxDegreeOfParallelism = 8 }, c => c.Link?.Shutdown());
    }

    private void Run(int index)
    {
        while (_running)
        {
            long started = Environment.TickCount64;
            for (int i = index; i < _chargers.Length && _running; i += _threads.Length)
            {
                SimulatedCharger charger = _chargers[i];
                try
                {
                    charger.Link?.Step(charger.NowMs);
                }
                catch (Exception e)
                {
                    Interlocked.Increment(ref Errors);
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
