using ChargerFirmware.Arbiter;
using ChargerFirmware.Bench.Rig;
using ChargerFirmware.VirtualHardware;

namespace ChargerFirmware.Bench.Micro;

/// <summary>
/// Exact allocated bytes per operation, counted with the calling thread's allocation counter over
/// many operations after a warm-up: the check behind BenchmarkDotNet's rounded "Allocated" column.
/// </summary>
public static class ExactAllocations
{
    /// <summary>Bytes allocated per operation over <paramref name="operations"/> runs of <paramref name="op"/> after <paramref name="warmup"/>.</summary>
    public static double PerOperation(Action op, int operations, int warmup = 1_000)
    {
        for (int i = 0; i < warmup; i++)
        {
            op();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < operations; i++)
        {
            op();
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)operations;
    }

    /// <summary>Every figure, keyed like the BenchmarkDotNet descriptions.</summary>
    public static Dictionary<string, double> Measure(bool quick)
    {
        int ticks = quick ? 20_000 : 200_000;
        var result = new Dictionary<string, double>();
        SteadySession idle = SteadySession.Idle();
        SteadySession charging = SteadySession.Charging();
        SteadySession discharging = SteadySession.Discharging();
        result["control tick, idle"] = PerOperation(idle.Tick, ticks);
        result["control tick, charging"] = PerOperation(charging.Tick, ticks);
        result["control tick, discharging (dispatch)"] = PerOperation(discharging.Tick, ticks);

        var arbiter = new PowerArbiter(new ArbiterOptions());
        var input = new ArbiterInputs();
        var output = new ArbiterDecision();
        ArbiterBenchmarks.Fill(input);
        result["arbiter decision"] = PerOperation(() => ArbiterBenchmarks.DecideOnce(arbiter, input, output), ticks * 5);

        var codec = new CodecBenchmarks();
        codec.Setup();
        result["encode status: codec"] = PerOperation(() => codec.EncodeStatusCodec(), ticks);
        result["encode status: STJ, reused writer"] = PerOperation(() => codec.EncodeStatusStj(), ticks);
        result["encode status: STJ, new array"] = PerOperation(() => codec.EncodeStatusStjToArray(), ticks);
        result["decode dispatch: codec"] = PerOperation(() => codec.DecodeDispatchCodec(), ticks);
        result["decode dispatch: STJ"] = PerOperation(() => codec.DecodeDispatchStj(), ticks);
        codec.Cleanup();

        var (console, _) = ConsoleBenchmarks.NewConsole();
        result["console: one command line (config get tick-ms)"] = PerOperation(() => console.Poll(0), ticks / 10);

        // The firmware's own part of an append: counted in a window where MemoryStorage's array for
        // the journal file has room (it doubles), so no host-side growth falls inside it.
        var storage = new MemoryStorage();
        var journal = LedgerBenchmarks.NewJournal(storage);
        var record = LedgerBenchmarks.NewRecord();
        const string file = "ledger.j0";
        while (storage.Length(file) <= 1 << 15)
        {
            journal.TryAppend(record);
        }

        int before = storage.Length(file);
        journal.TryAppend(record);
        int frame = storage.Length(file) - before;
        int room = ((1 << 16) - storage.Length(file)) / frame;
        result["ledger append (journal alone)"] = PerOperation(() => journal.TryAppend(record), room - 51, warmup: 50);
        return result;
    }
}
