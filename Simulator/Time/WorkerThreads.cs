namespace ChargerFirmware.Simulator.Time;

/// <summary>A fixed set of background threads, each running the same body with its index, started and joined together.</summary>
public sealed class WorkerThreads
{
    private readonly Thread[] _threads;

    /// <summary><paramref name="count"/> threads named <paramref name="name"/>-N running <paramref name="body"/>(N).</summary>
    public WorkerThreads(int count, string name, Action<int> body)
    {
        _threads = new Thread[count];
        for (int t = 0; t < count; t++)
        {
            int index = t;
            _threads[t] = new Thread(() => body(index)) { IsBackground = true, Name = $"{name}-{t}" };
        }
    }

    /// <summary>How many threads.</summary>
    public int Count => _threads.Length;

    /// <summary>Starts them all.</summary>
    public void Start()
    {
        foreach (Thread thread in _threads)
        {
            thread.Start();
        }
    }

    /// <summary>Waits for every started thread to end (their bodies must have been told to stop).</summary>
    public void Join()
    {
        foreach (Thread thread in _threads)
        {
            if (thread.IsAlive)
            {
                thread.Join();
            }
        }
    }
}
