using ChargerFirmware.Ledger;
using ChargerFirmware.Protocol.Messages;
using ChargerFirmware.Simulator.Aggregator;
using ChargerFirmware.Simulator.Display;
using ChargerFirmware.Simulator.Hardware;

namespace ChargerFirmware.Simulator.Runs;

/// <summary>What the demo showed, and whether the whole story happened.</summary>
public sealed record DemoReport
{
    /// <summary>True when every step of the story happened and the books balance.</summary>
    public bool Success => Failures.Count == 0;

    /// <summary>What did not happen, one line each.</summary>
    public List<string> Failures { get; } = [];

    /// <summary>Wall time of the run.</summary>
    public TimeSpan WallTime { get; init; }

    /// <summary>Simulated time of the run, ms.</summary>
    public long SimulatedMs { get; init; }

    /// <summary>The driver allowed sharing on the panel.</summary>
    public bool Allowed { get; init; }

    /// <summary>Simulated ms when the floor was reached, or -1.</summary>
    public long FloorReachedAtMs { get; init; }

    /// <summary>The driver's floor, per-mille.</summary>
    public int FloorPermille { get; init; }

    /// <summary>Lowest car SOC while the aggregator discharged it, per-mille.</summary>
    public int LowestSocWhileDischarging { get; init; }

    /// <summary>The reasons of the dispatches the charger refused, as the aggregator received them.</summary>
    public List<string> Refusals { get; init; } = [];

    /// <summary>The session's receipt.</summary>
    public SessionSummary? Summary { get; init; }

    /// <summary>Every ledger record in the charger's journal.</summary>
    public List<LedgerRecord> Records { get; init; } = [];

    /// <summary>The journal's balance over all its records.</summary>
    public LedgerBalance? Balance { get; init; }

    /// <summary>Energy the converter put into / took out of the car, Wh (its own counters).</summary>
    public long MeterImportWh { get; init; }

    /// <summary>See <see cref="MeterImportWh"/>.</summary>
    public long MeterExportWh { get; init; }

    /// <summary>Highest ledger id the aggregator acknowledged.</summary>
    public long AggregatorAckedUpTo { get; init; }
}

/// <summary>
/// The demo: one charger, one car, one driver, the reference aggregator's down/up-DR story, in
/// simulated time faster than wall time; then the receipt, the ledger and the verdict.
/// </summary>
public static class DemoRun
{
    /// <summary>The demo's car: a 40 kWh battery at 45 %, speaking ISO 15118 over the power line.</summary>
    public static readonly CarSpec Car = new(CapacityWh: 40_000, SocPermille: 450);

    /// <summary>Longest simulated time the story may take.</summary>
    public const long SimLimitMs = 4 * 3_600_000;

    /// <summary>Runs the demo, drawing on <paramref name="output"/> (live redraw when <paramref name="live"/>).</summary>
    public static async Task<DemoReport> RunAsync(SimOptions options, TextWriter output, bool live, CancellationToken cancel)
    {
        var display = new ChargerDisplay(output, live);
        await using SimulationHost host = await SimulationHost.CreateAsync(options, display.Log, withAggregator: true, cancel: cancel).ConfigureAwait(false);
        SimulatedCharger charger = host.Chargers[0];
        ReferenceAggregator aggregator = host.Aggregator!;
        var driver = new DemoDriver(Car, display.Log);
        var scenario = new DemoScenario();
        charger.AfterStep = driver.AfterStep;
        display.Charger = charger;
        display.Footer = () => $"speed x{options.Speed:0.##} | wall {host.Time.WallElapsed.TotalSeconds:0.0} s | {driver.Stage}";
        display.Log($"demo      | charger {charger.Id}, simulated time x{options.Speed:0.##}, seed {options.Seed}, flash in {host.DataRoot}");

        await scenario.PublishStandingPricesAsync(aggregator, [charger.Id]).ConfigureAwait(false);
        host.Start();
        string? failure = await Drive(host, charger, driver, scenario, display, cancel).ConfigureAwait(false);
        await WaitForLedger(aggregator.View(charger.Id), charger, cancel).ConfigureAwait(false);
        display.Refresh();
        display.Finish();
        host.Scheduler.Stop();

        DemoReport report = Collect(host, charger, driver, aggregator);
        if (failure is not null)
        {
            report.Failures.Insert(0, failure);
        }

        return report;
    }

    /// <summary>Prints the receipt, the ledger, the balance and the verdict.</summary>
    public static void Print(DemoReport r, TextWriter o)
    {
        o.WriteLine();
        o.WriteLine("== session summary (the charger's receipt)");
        foreach (string line in r.Summary?.RenderLines() ?? ["(no session ended)"])
        {
            o.WriteLine("  " + line);
        }

        o.WriteLine();
        o.WriteLine($"== ledger: {r.Records.Count} records");
        foreach (LedgerRecord x in r.Records)
        {
            o.WriteLine($"  #{x.RecordId,-3} {LedgerKind.Names.Name(x.Kind),-21} {SessionSummary.FormatMilli(x.Wh),8} kWh at {SessionSummary.FormatMilli(x.PriceMilliPerKWh),8} {x.Currency}/kWh = {SessionSummary.FormatMilli(x.AmountMilli),9} {x.Currency}{(x.DispatchId.Length > 0 ? "  dispatch " + x.DispatchId : "")}");
        }

        if (r.Balance is { } b)
        {
            o.WriteLine($"  balance: charged {SessionSummary.FormatMilli(b.ImportWh)} kWh, discharged {SessionSummary.FormatMilli(b.ExportWh)} kWh, paid {SessionSummary.FormatMilli(b.PurchasesMilli)}, earned {SessionSummary.FormatMilli(b.EarningsMilli)}, net {SessionSummary.FormatMilli(b.NetMilli)} {b.Currency}");
        }

        o.WriteLine($"  converter meter: in {SessionSummary.FormatMilli(r.MeterImportWh)} kWh, out {SessionSummary.FormatMilli(r.MeterExportWh)} kWh; aggregator acknowledged up to #{r.AggregatorAckedUpTo}");
        o.WriteLine($"  refused by the charger: {(r.Refusals.Count == 0 ? "none" : string.Join(", ", r.Refusals))}");
        o.WriteLine();
        o.WriteLine($"== {(r.Success ? "the story happened" : "the story did NOT happen")}: {r.SimulatedMs / 60_000.0:0.0} simulated minutes in {r.WallTime.TotalSeconds:0.0} s of wall time");
        foreach (string failure in r.Failures)
        {
            o.WriteLine("  - " + failure);
        }
    }

    private static async Task<string?> Drive(SimulationHost host, SimulatedCharger charger, DemoDriver driver, DemoScenario scenario, ChargerDisplay display, CancellationToken cancel)
    {
        if (!await host.WaitAllOnlineAsync(TimeSpan.FromSeconds(30), cancel).ConfigureAwait(false))
        {
            return $"the charger never came online at {host.Broker}";
        }

        long nextDraw = 0;
        while (!driver.Finished)
        {
            cancel.ThrowIfCancellationRequested();
            if (host.Scheduler.Failure is { } crash)
            {
                return "the simulation stopped: " + crash;
            }

            if (charger.NowMs > SimLimitMs)
            {
                return $"after {SimLimitMs / 3_600_000} simulated hours the story was still at: {driver.Stage}";
            }

            await scenario.StepAsync(host.Aggregator!).ConfigureAwait(false);
            if (Environment.TickCount64 >= nextDraw)
            {
                display.Refresh();
                nextDraw = Environment.TickCount64 + 100;
            }

            await Task.Delay(10, cancel).ConfigureAwait(false);
        }

        return null;
    }

    private static async Task WaitForLedger(ChargerView view, SimulatedCharger charger, CancellationToken cancel)
    {
        DateTime until = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < until)
        {
            long acked;
            lock (view.Gate)
            {
                acked = view.LedgerAckedUpTo;
            }

            if (acked >= charger.Policy.Journal.LastRecordId && charger.Policy.Journal.AckedUpTo >= acked)
            {
                return;
            }

            await Task.Delay(20, cancel).ConfigureAwait(false);
        }
    }

    private static DemoReport Collect(SimulationHost host, SimulatedCharger charger, DemoDriver driver, ReferenceAggregator aggregator)
    {
        LedgerJournal journal = charger.Policy.Journal;
        var records = new List<LedgerRecord>();
        var record = new LedgerRecord();
        long after = 0;
        while (journal.ReadFirstAfter(after, record))
        {
            var copy = new LedgerRecord();
            copy.CopyFrom(record);
            records.Add(copy);
            after = record.RecordId;
        }

        ChargerView view = aggregator.View(charger.Id);
        List<string> refusals;
        long ackedUpTo;
        lock (view.Gate)
        {
            refusals = [.. view.Acks.Where(a => a.Status == DispatchStatus.Rejected).Select(a => $"{a.Id} {a.Reason}")];
            ackedUpTo = view.LedgerAckedUpTo;
        }

        var report = new DemoReport
        {
            WallTime = host.Time.WallElapsed,
            SimulatedMs = charger.NowMs,
            Allowed = driver.Allowed,
            FloorReachedAtMs = driver.FloorReachedAtMs,
            FloorPermille = driver.FloorPermille,
            LowestSocWhileDischarging = driver.LowestSocWhileDischarging,
            Refusals = refusals,
            Summary = charger.Policy.LastSummary,
            Records = records,
            Balance = journal.Balance(0, long.MaxValue),
            MeterImportWh = charger.Converter.ImportWh,
            MeterExportWh = charger.Converter.ExportWh,
            AggregatorAckedUpTo = ackedUpTo,
        };
        Judge(report, driver, journal);
        return report;
    }

    // Counters count whole Wh and reach the charger a Modbus poll behind: one Wh either way.
    private static bool Within(long ledgerWh, long meterWh) => Math.Abs(ledgerWh - meterWh) <= 1;

    private static void Judge(DemoReport r, DemoDriver driver, LedgerJournal journal)
    {
        void Require(bool condition, string failure)
        {
            if (!condition)
            {
                r.Failures.Add(failure);
            }
        }

        Require(r.Allowed, "the driver never allowed sharing on the panel");
        Require(r.FloorReachedAtMs >= 0, $"the car never reached the driver's floor ({r.FloorPermille / 10} %)");
        Require(driver.DischargeSeen, "the aggregator never discharged the car");
        Require(r.LowestSocWhileDischarging >= r.FloorPermille - 2, $"the car was discharged below the driver's floor ({r.LowestSocWhileDischarging / 10.0:0.0} % < {r.FloorPermille / 10} %)");
        Require(r.Refusals.Any(x => x.EndsWith(" price-below-minimum", StringComparison.Ordinal)), "no dispatch was refused for price-below-minimum");
        Require(r.Summary is not null, "the session never ended with a summary");
        var discharges = r.Records.Where(x => x.Kind == LedgerKind.AggregatorDischarge).ToList();
        Require(discharges.Count > 0 && discharges.Sum(x => x.Wh) > 0, "no discharge in the ledger");
        Require(discharges.All(x => x.PriceMilliPerKWh >= 25_000), "a discharge was recorded below the driver's minimum price of 25");
        if (r.Summary is { } s)
        {
            long import = r.Records.Where(x => LedgerKind.IsImport(x.Kind)).Sum(x => x.Wh);
            long export = r.Records.Where(x => x.Kind == LedgerKind.AggregatorDischarge).Sum(x => x.Wh);
            Require(import == s.ImportWh && export == s.ExportWh, $"the ledger ({import}/{export} Wh) does not add up to the summary ({s.ImportWh}/{s.ExportWh} Wh)");
            // The session's meter follows the converter's own counters: no Wh lost or invented.
            Require(Within(s.ImportWh, r.MeterImportWh) && Within(s.ExportWh, r.MeterExportWh),
                $"the ledger ({s.ImportWh}/{s.ExportWh} Wh) does not match the converter's meter ({r.MeterImportWh}/{r.MeterExportWh} Wh)");
        }

        Require(r.AggregatorAckedUpTo == journal.LastRecordId && journal.LastRecordId > 0, $"the aggregator acknowledged the ledger up to #{r.AggregatorAckedUpTo} of #{journal.LastRecordId}");
    }
}
