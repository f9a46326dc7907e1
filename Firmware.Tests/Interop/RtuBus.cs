using System.Diagnostics;
using ChargerFirmware.Drivers;
using ChargerFirmware.VirtualHardware;

namespace ChargerFirmware.Tests.Interop;

/// <summary>
/// An RS-485 bus made of pseudo-terminals, as a field engineer would wire it on a bench: the
/// project's master opens <see cref="MasterPath"/> (through the host's <see cref="PtyPort"/>),
/// each libmodbus slave its own pty, and a proxy thread in between is the wire: every byte anyone
/// sends reaches everyone else (so a slave hears the requests for other units and their answers),
/// and it can corrupt answers on the way. <see cref="Run"/> steps the drivers on the wall clock.
/// </summary>
internal sealed class RtuBus : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rtu-bus-").FullName;
    private readonly PtyPair _master;
    private readonly List<RtuSlave> _slaves = [];
    private readonly List<PtyPort> _ends = [];
    private readonly Thread _wire;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly int[] _requestsTo = new int[248];
    private volatile bool _running = true;
    private int _corruptUnit;
    private int _corruptEvery;
    private int _answersSeen;

    public RtuBus(params (int Unit, RegisterImage Image, SlaveOptions Options)[] slaves)
    {
        try
        {
            _master = new PtyPair(_folder, "master");
            _ends.Add(new PtyPort(_master.BusEnd));
            foreach ((int unit, RegisterImage image, SlaveOptions options) in slaves)
            {
                var slave = new RtuSlave(_folder, unit, image, options);
                _slaves.Add(slave);
                _ends.Add(new PtyPort(slave.Pty.BusEnd));
            }
        }
        catch
        {
            Dispose();
            throw;
        }

        _wire = new Thread(Wire) { IsBackground = true, Name = "rtu-bus wire" };
        _wire.Start();
    }

    /// <summary>The pty the master opens.</summary>
    public string MasterPath => _master.DeviceEnd;

    /// <summary>Monotonic ms since the bus was built.</summary>
    public long NowMs => _clock.ElapsedMilliseconds;

    /// <summary>Requests the master sent to <paramref name="unit"/> (frames written by the master, by their first byte).</summary>
    public int RequestsTo(int unit) => Volatile.Read(ref _requestsTo[unit]);

    public RtuSlave Slave(int unit) => _slaves.Single(s => s.Unit == unit);

    /// <summary>From now on one bit of every <paramref name="every"/>-th answer of <paramref name="unit"/> is flipped on the wire (a CRC error).</summary>
    public void CorruptAnswers(int unit, int every)
    {
        _corruptUnit = unit;
        _corruptEvery = every;
    }

    /// <summary>
    /// Polls <paramref name="drivers"/> every ~2 ms on the wall clock until <paramref name="until"/>
    /// holds (true) or <paramref name="limitMs"/> passed (false); <paramref name="each"/> runs after
    /// every round of polls.
    /// </summary>
    public bool Run(Func<bool> until, long limitMs, IPolled[] drivers, Action? each = null)
    {
        long end = NowMs + limitMs;
        while (NowMs < end)
        {
            long now = NowMs;
            foreach (IPolled driver in drivers)
            {
                driver.Poll(now);
            }

            each?.Invoke();
            if (until())
            {
                return true;
            }

            Thread.Sleep(2);
        }

        return false;
    }

    public string Diagnostics() =>
        string.Join("\n", _slaves.Select(s => $"unit {s.Unit}: {s.Writes.Count} writes, stderr: {s.Errors.Trim()}"))
        + $"\nrequests: unit 1 {RequestsTo(1)}, unit 2 {RequestsTo(2)}";

    public void Dispose()
    {
        _running = false;
        _wire?.Join(5_000);
        foreach (PtyPort end in _ends)
        {
            end.Dispose();
        }

        foreach (RtuSlave slave in _slaves)
        {
            slave.Dispose();
        }

        _master?.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    // The wire: whatever one end sends, every other end receives, in the order it came.
    private void Wire()
    {
        byte[] buffer = new byte[512];
        while (_running)
        {
            bool moved = false;
            for (int from = 0; from < _ends.Count; from++)
            {
                int count;
                try
                {
                    count = _ends[from].Read(buffer, 0, buffer.Length);
                }
                catch (IOException)
                {
                    continue;
                }

                if (count == 0)
                {
                    continue;
                }

                moved = true;
                if (from == 0)
                {
                    Interlocked.Increment(ref _requestsTo[buffer[0]]);
                }
                else if (_slaves[from - 1].Unit == _corruptUnit && _corruptEvery > 0 && ++_answersSeen % _corruptEvery == 0)
                {
                    buffer[count / 2] ^= 0x01;
                }

                for (int to = 0; to < _ends.Count; to++)
                {
                    if (to != from)
                    {
                        try
                        {
                            _ends[to].Write(buffer, 0, count);
                        }
                        catch (IOException)
                        {
                            // A party that left the bus (its pty closed) hears nothing more.
                        }
                    }
                }
            }

            if (!moved)
            {
                Thread.Sleep(1);
            }
        }
    }
}
