using System.Diagnostics;

namespace ChargerFirmware.Bench.Macro;

/// <summary>
/// A few threads stepping a whole fleet in real time: each owns a slice of the chargers and, every
/// period, runs one control tick and one link round for each of them, then sleeps the rest of the
/// period (a pass longer than the period is an overrun and the next starts at once).
/// </summary>
public sealed class FleetScheduler : IDisposable
{
    private readonly LinkedCharger[] _fleet;
    private readonly int _periodMs;
    private readonly Thread[] _threads;
    private readonly double[] _longestPassMs;
    private readonly int[] _overruns;
    private volatile bool _running = true;

    public FleetScheduler(LinkedCharger[] fleet, int threads, int periodMs)
    {
        _fleet = fleet;
        _periodMs = periodMs;
        _threads = new Thread[threads];
        _longestPassMs = new double[threads];
        _overruns = new int[threads];
        for (int t = 0; t < threads; t++)
        {
            int slice = t;
            _threads[t] = new Thread(() => Run(slice)) { IsBackground = true, Name = "fleet-" + t };
            _threads[t].Start();
        }
    }

    public int Threads => _threads.Length;

    /// <summary>The longest pass of any thread over its slice, ms, since <see cref="ResetCounters"/>.</summary>
    public double LongestPassMs => _longestPassMs.Max();

    /// <summary>Passes longer than the period, since <see cref="ResetCounters"/>.</summary>
    public int Overruns => _overruns.Sum();

    public void ResetCounters()
    {
        Array.Clear(_longestPassMs);
        Array.Clear(_overruns);
    }

    public void Dispose()
    {
        _running = false;
        foreach (Thread thread in _threads)
        {
            thread.Join();
        }
    }

    private void Run(int slice)
    {
        while (_running)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = slice; i < _fleet.Length; i += _threads.Length)
            {
                _fleet[i].Step();
            }

            double passMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            _longestPassMs[slice] = Math.Max(_longestPassMs[slice], passMs);
            if (passMs > _periodMs)
            {
                _overruns[slice]++;
            }
            else
            {
                Thread.Sleep(TimeSpan.FromMilliseconds(_periodMs - passMs));
            }
        }
    }
}
