using System.Globalization;
using System.Text;
using ChargerFirmware.Bench.Report;
using ChargerFirmware.Bench.Rig;
using ChargerFirmware.Control;
using ChargerFirmware.VirtualHardware;

namespace ChargerFirmware.Bench.Parts;

/// <summary>
/// The managed bytes one charger's portable object graph retains (a proxy for the device heap):
/// <c>GC.GetTotalMemory(true)</c> deltas around building N chargers over virtual parts built
/// beforehand (so only the firmware's objects are counted), after start and again with a session.
/// </summary>
public static class MemoryPart
{
    public const int TargetBytes = 32 * 1024;

    /// <summary>What the memory bench measured, bytes per charger.</summary>
    public sealed record Figures(int Chargers, double Started, double InSession, IReadOnlyList<(string Part, double Bytes)> Breakdown);

    public static PartResult Run(bool quick)
    {
        Figures f = Measure(quick ? 20 : 100);
        return Build(f, quick);
    }

    public static Figures Measure(int n)
    {
        // Type initialisers, JIT and first-use paths belong to the process, not to a charger: run them first.
        RunSession(BuildReady(new BenchParts(new ManualClock())));

        // Virtual parts first, with the files a charger leaves in flash (presets, ledger, dispatch
        // sequence): the measured chargers then open what is there, as after a reboot.
        var parts = new BenchParts[n];
        for (int i = 0; i < n; i++)
        {
            parts[i] = new BenchParts(new ManualClock());
            var previous = BuildReady(parts[i]);
            RunSession(previous);
            previous.Unplug();
        }

        var chargers = new BenchCharger[n];
        long baseline = Heap.Settled();
        for (int i = 0; i < n; i++)
        {
            chargers[i] = BuildReady(parts[i]);
        }

        long started = Heap.Settled();
        for (int i = 0; i < n; i++)
        {
            RunSession(chargers[i]);
        }

        long inSession = Heap.Settled();
        GC.KeepAlive(chargers);
        GC.KeepAlive(parts);

        return new Figures(
            n,
            (started - baseline) / (double)n,
            (inSession - baseline) / (double)n,
            Breakdown(n));
    }

    // A new charger that has run its first second (50 ticks): everything a started charger holds.
    private static BenchCharger BuildReady(BenchParts parts)
    {
        var charger = new BenchCharger(parts);
        for (int i = 0; i < 50; i++)
        {
            charger.Step();
        }

        charger.DrainOutbox(new ControlEvent());
        return charger;
    }

    // Plug-in, consent, prices, a discharge dispatch, 5 s of discharging; notices drained as the link would.
    private static void RunSession(BenchCharger charger)
    {
        charger.PlugIn(allow: true);
        charger.Post(charger.NewDispatch(-3_000));
        for (int i = 0; i < 250; i++)
        {
            charger.Step();
        }

        charger.DrainOutbox(new ControlEvent());
        if (charger.Charger.State != Protocol.Messages.ChargerState.Discharging)
        {
            throw new InvalidOperationException("memory bench: the session did not reach discharging");
        }
    }

    // Where a started charger's bytes are: the big members built alone, N of each.
    private static List<(string, double)> Breakdown(int n)
    {
        var config = new ChargerConfig();
        var storage = new MemoryStorage();
        var entropy = new HostEntropy();
        RunSession(BuildReady(new BenchParts(new ManualClock(), storage)));
        var list = new List<(string, double)>
        {
            ("inbox + outbox (EventQueue 32 + 64)", PerObject(n, () => new object[] { new EventQueue(32), new EventQueue(64) })),
            ("SessionPolicy (consent, presets, screen, arbiter, dispatch, ledger journal + recorder)", PerObject(n, () => new Session.SessionPolicy(config, storage, entropy, new EventQueue(1)))),
            ("↳ of which LedgerJournal (opened)", PerObject(n, () =>
            {
                var journal = new Ledger.LedgerJournal(storage, Session.SessionPolicy.LedgerFileName, config.LedgerMaxBytes);
                journal.Open();
                return journal;
            })),
            ("↳ of which PresetStore (loaded)", PerObject(n, () =>
            {
                var presets = new Conditions.PresetStore(storage, Conditions.PresetStore.DefaultFileName, Protocol.Messages.Settlement.Offset);
                presets.Load();
                return presets;
            })),
        };
        return list;
    }

    private static double PerObject(int n, Func<object> build)
    {
        build();
        var keep = new object[n];
        long before = Heap.Settled();
        for (int i = 0; i < n; i++)
        {
            keep[i] = build();
        }

        long after = Heap.Settled();
        GC.KeepAlive(keep);
        return (after - before) / (double)n;
    }


    public static PartResult Build(Figures f, bool quick)
    {
        var md = new StringBuilder();
        md.AppendLine("## Memory: the portable state one charger retains");
        md.AppendLine();
        md.AppendLine($"`GC.GetTotalMemory(true)` deltas around building {f.Chargers} chargers (core, session policy, control loop, queues,");
        md.AppendLine("configuration, hardware table) over virtual parts built beforehand, divided by the count. The parts' flash");
        md.AppendLine("files (presets, ledger journal, dispatch sequence) exist before the count, as after a reboot.");
        md.AppendLine();
        md.AppendLine("| state | retained per charger |");
        md.AppendLine("| --- | ---: |");
        md.AppendLine($"| started (first second run, idle) | {Kb(f.Started)} |");
        md.AppendLine($"| in a session (consent, prices, 3 kW discharge dispatch, 5 s) | {Kb(f.InSession)} |");
        md.AppendLine();
        md.AppendLine("Where the bytes are (each built alone, same method):");
        md.AppendLine();
        md.AppendLine("| part | bytes each |");
        md.AppendLine("| --- | ---: |");
        foreach (var (part, bytes) in f.Breakdown)
        {
            md.AppendLine($"| {part} | {Kb(bytes)} |");
        }

        md.AppendLine();
        md.AppendLine("A proxy, not the device's number: .NET on x64 has 16-byte object headers, 8-byte references and UTF-16");
        md.AppendLine("strings; nanoFramework has smaller headers, 4-byte references and UTF-8 strings, so the device figure");
        md.AppendLine("for the same graph is expected to be lower. Static tables (type initialisers) are shared by all chargers");
        md.AppendLine("and not in these figures.");

        double worst = Math.Max(f.Started, f.InSession);
        var target = new TargetLine
        {
            Order = 3,
            Target = "retained portable state of one charger at most 32 KB",
            Figure = $"{Kb(f.Started)} started, {Kb(f.InSession)} in a session" + (worst > TargetBytes ? $" (over by {Kb(worst - TargetBytes)}; see the breakdown)" : ""),
            Meets = worst <= TargetBytes,
        };
        return new PartResult { Part = "memory", Quick = quick, Markdown = md.ToString(), Targets = [target] };
    }

    private static string Kb(double bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024:F1} KB ({bytes:F0} B)");
}
