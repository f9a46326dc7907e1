using System.Globalization;
using System.Text.Json;
using ChargerFirmware.Aggregator;
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

    /// <summary>Ledger records of this charger the server holds (each once).</summary>
    public long ServerRecords { get; init; }

    /// <summary>The sell price the planner offered on the down-DR, milli-JPY per kWh.</summary>
    public long DownPriceMilli { get; init; }

    /// <summary>The buy price of the up-DR, milli-JPY per kWh.</summary>
    public long UpPriceMilli { get; init; }

    /// <summary>The driver's balance over the run, from the server's phone API.</summary>
    public JsonElement ServerBalance { get; init; }

    /// <summary>The driver's statement of the run's month, from the server's phone API.</summary>
    public JsonElement ServerStatement { get; init; }
}

/// <summary>
/// The demo: one charger, one car, one driver with a phone, the aggregator's server (its phone
/// page's API for the driver, its operator API for the operator), an up-DR and a down-DR, in
/// simulated time faster than wall time; then the charger's receipt and ledger, the driver's
/// balance and statement from the server, and the verdict.
/// </summary>
public static class DemoRun
{
    /// <summary>The demo's car: a 40 kWh battery at 45 %, speaking ISO 15118 over the power line.</summary>
    public static readonly CarSpec Car = new(CapacityWh: 40_000, SocPermille: 450);

    /// <summary>Longest simulated time the story may take.</summary>
    public const long SimLimitMs = 4 * 3_600_000;

    /// <summary>The driver's registered vehicle.</summary>
    public const string Registration = "TOKYO-300-A-1234";

    /// <summary>Runs the demo, drawing on <paramref name="output"/> (live redraw when <paramref name="live"/>).</summary>
    public static async Task<DemoReport> RunAsync(SimOptions options, TextWriter output, bool live, CancellationToken cancel)
    {
        var display = new ChargerDisplay(output, live);
        await using SimulationHost host = await SimulationHost.CreateAsync(options, display.Log, withAggregator: false, withServer: true, cancel: cancel).ConfigureAwait(false);
        SimulatedCharger charger = host.Chargers[0];
        AggregatorServer server = host.Server;
        var driver = new DemoDriver(Car, display.Log) { AnswerOnPanel = false };
        using ServerClient phone = ServerClient.Phone(server.Url!);
        using ServerClient console = ServerClient.Operator(server.Url!, server.OperatorKey);
        var operatorScript = new DemoOperator(console, charger.Id, display.Log);
        charger.AfterStep = driver.AfterStep;
        display.Charger = charger;
        display.Footer = () => $"speed x{options.Speed:0.##} | wall {host.Time.WallElapsed.TotalSeconds:0.0} s | {driver.Stage} | {operatorScript.Where}";
        display.Log($"demo      | charger {charger.Id}, simulated time x{options.Speed:0.##}, seed {options.Seed}, flash in {host.DataRoot}");

        await phone.PostAsync("/api/signup", new { name = "Demo driver", phone = "simulated phone" }).ConfigureAwait(false);
        await phone.PostAsync("/api/me/vehicles", new { label = "Leaf", registration = Registration, capacityKwh = Car.CapacityWh / 1000 }).ConfigureAwait(false);
        display.Log($"phone     | the driver signs up and registers a {Car.CapacityWh / 1000} kWh Leaf, {Registration}; conditions: the balanced pattern, settlement: offset");
        await console.PutAsync("/api/operator/chargers/" + charger.Id, new { }).ConfigureAwait(false);
        await console.PutAsync("/api/operator/tariff", new { buyPrice = 12, sellPrice = 18 }).ConfigureAwait(false);
        display.Log($"operator  | registers charger {charger.Id} and publishes the standing prices: buy 12, sell 18 JPY/kWh (retained)");
        host.Start();
        string? failure = await Drive(host, charger, driver, phone, operatorScript, display, cancel).ConfigureAwait(false);
        await WaitForLedger(server, charger, cancel).ConfigureAwait(false);
        display.Refresh();
        display.Finish();
        host.Scheduler.Stop();

        DemoReport report = await Collect(host, charger, driver, operatorScript, phone).ConfigureAwait(false);
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
        PrintServerBooks(r, o);
        o.WriteLine();
        o.WriteLine($"== {(r.Success ? "the story happened" : "the story did NOT happen")}: {r.SimulatedMs / 60_000.0:0.0} simulated minutes in {r.WallTime.TotalSeconds:0.0} s of wall time");
        foreach (string failure in r.Failures)
        {
            o.WriteLine("  - " + failure);
        }
    }

    // The driver's balance and statement as the phone shows them, from the server.
    private static void PrintServerBooks(DemoReport r, TextWriter o)
    {
        if (r.ServerBalance.ValueKind != JsonValueKind.Object || r.ServerStatement.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        static string M(JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.Number ? e.GetProperty(name).GetDecimal().ToString("0.000", CultureInfo.InvariantCulture) : "-";
        static string Kwh(JsonElement e, string name) => (e.GetProperty(name).GetInt64() / 1000m).ToString("0.000", CultureInfo.InvariantCulture);
        JsonElement b = r.ServerBalance;
        JsonElement all = b.GetProperty("all");
        JsonElement s = r.ServerStatement;
        string currency = b.GetProperty("currency").GetString()!;
        o.WriteLine();
        o.WriteLine($"== the driver's balance and statement, from the aggregator's server ({r.ServerRecords} ledger records stored, each once)");
        o.WriteLine($"  prices the planner set: up-DR buy {r.UpPriceMilli / 1000.0:0.###}, down-DR sell {r.DownPriceMilli / 1000.0:0.###} {currency}/kWh (the driver sells at 25 or more)");
        o.WriteLine($"  balance: charged {Kwh(all, "importWh")} kWh, paid {M(all, "purchases")}, discharged {Kwh(all, "exportWh")} kWh, earned {M(all, "earnings")}, net {M(all, "net")} {currency}");
        foreach (JsonProperty settlement in b.GetProperty("bySettlement").EnumerateObject())
        {
            o.WriteLine($"    {settlement.Name,-7} paid {M(settlement.Value, "purchases")}, earned {M(settlement.Value, "earnings")}, net {M(settlement.Value, "net")}");
        }

        foreach (JsonElement vehicle in b.GetProperty("byVehicle").EnumerateArray())
        {
            o.WriteLine($"    vehicle {vehicle.GetProperty("label").GetString()}: in {Kwh(vehicle.GetProperty("all"), "importWh")} kWh, out {Kwh(vehicle.GetProperty("all"), "exportWh")} kWh, net {M(vehicle.GetProperty("all"), "net")}");
        }

        JsonElement purchases = s.GetProperty("purchases");
        o.WriteLine($"  statement {s.GetProperty("month").GetString()}: charging {Kwh(purchases, "importWh")} kWh = {M(purchases, "purchases")}");
        foreach (JsonProperty earned in s.GetProperty("earnings").EnumerateObject())
        {
            o.WriteLine($"    discharged for the grid ({earned.Name}) {Kwh(earned.Value, "exportWh")} kWh = {M(earned.Value, "earnings")}");
        }

        o.WriteLine($"    offset against charging -{M(s, "offsetApplied")}, to pay {M(s, "amountDue")} {currency}, carried forward {M(s, "offsetCarriedOut")}, paid out {M(s, "payout")}, points {s.GetProperty("pointsBalance").GetInt64()}");
    }

    private static async Task<string?> Drive(SimulationHost host, SimulatedCharger charger, DemoDriver driver, ServerClient phone, DemoOperator operatorScript,
        ChargerDisplay display, CancellationToken cancel)
    {
        if (!await host.WaitAllOnlineAsync(TimeSpan.FromSeconds(30), cancel).ConfigureAwait(false))
        {
            return $"the charger never came online at {host.Broker}";
        }

        long nextDraw = 0;
        bool answered = false;
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

            if (driver.WaitingForPhone && !answered)
            {
                // The question's trip to the server and the phone's HTTP round trips take wall time:
                // simulated time stands still until the driver answered, or at x120 (x600 in the
                // tests) they would be minutes past the charger's two-minute deadline.
                host.PauseTime();
                try
                {
                    DateTime giveUp = DateTime.UtcNow.AddSeconds(30);
                    while (!(answered = await AnswerOnPhone(phone, charger.Id, display).ConfigureAwait(false)) && DateTime.UtcNow < giveUp)
                    {
                        await Task.Delay(20, cancel).ConfigureAwait(false);
                    }
                }
                finally
                {
                    host.ResumeTime();
                }
            }

            // The operator acts at once in simulated time too: its HTTP round trips hold the clock.
            host.PauseTime();
            try
            {
                await operatorScript.StepAsync().ConfigureAwait(false);
            }
            finally
            {
                host.ResumeTime();
            }
            if (Environment.TickCount64 >= nextDraw)
            {
                display.Refresh();
                nextDraw = Environment.TickCount64 + 100;
            }

            await Task.Delay(10, cancel).ConfigureAwait(false);
        }

        return null;
    }

    // The phone: the question shows up by itself for a registered EVCCID; this car's EVCCID is not
    // known yet, so the driver types the charger's number, then allows with the stored conditions.
    private static async Task<bool> AnswerOnPhone(ServerClient phone, string chargerId, ChargerDisplay display)
    {
        JsonElement prompts = await phone.GetAsync("/api/me/prompts").ConfigureAwait(false);
        JsonElement? prompt = prompts.GetArrayLength() > 0 ? prompts[0] : null;
        if (prompt is null)
        {
            try
            {
                prompt = await phone.PostAsync("/api/me/claim", new { chargerId }).ConfigureAwait(false);
                display.Log($"phone     | the driver types the charger's number, {chargerId}: the question shows");
            }
            catch (InvalidOperationException)
            {
                return false; // the charger's question has not reached the server yet
            }
        }

        JsonElement me = await phone.GetAsync("/api/me").ConfigureAwait(false);
        long vehicle = me.GetProperty("vehicles")[0].GetProperty("id").GetInt64();
        await phone.PostAsync($"/api/me/prompts/{prompt.Value.GetProperty("id").GetInt64()}/answer", new { allow = true, vehicleId = vehicle }).ConfigureAwait(false);
        display.Log($"phone     | buy {prompt.Value.GetProperty("buyPrice")}, sell {prompt.Value.GetProperty("sellPrice")} JPY/kWh, {prompt.Value.GetProperty("secondsLeft")} s to answer: the driver taps [Allow]");
        return true;
    }

    private static async Task WaitForLedger(AggregatorServer server, SimulatedCharger charger, CancellationToken cancel)
    {
        DateTime until = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < until)
        {
            long acked = AckedUpTo(server, charger.Id);
            if (acked >= charger.Policy.Journal.LastRecordId && charger.Policy.Journal.AckedUpTo >= acked)
            {
                return;
            }

            await Task.Delay(20, cancel).ConfigureAwait(false);
        }
    }

    private static long AckedUpTo(AggregatorServer server, string chargerId) =>
        server.Db.Read(tx => tx.Long("SELECT ledger_acked_up_to FROM chargers WHERE id = @c", ("@c", chargerId))) ?? 0;

    private static async Task<DemoReport> Collect(SimulationHost host, SimulatedCharger charger, DemoDriver driver, DemoOperator operatorScript, ServerClient phone)
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

        AggregatorServer server = host.Server;
        long stored = server.Db.Read(tx => tx.Long("SELECT COUNT(*) FROM ledger_records WHERE charger_id = @c", ("@c", charger.Id))) ?? 0;
        string month = server.Books.MonthOf(records.Count > 0 ? records[0].StartUtcMs : host.SimUtcMs);
        var report = new DemoReport
        {
            WallTime = host.Time.WallElapsed,
            SimulatedMs = charger.NowMs,
            Allowed = driver.Allowed,
            FloorReachedAtMs = driver.FloorReachedAtMs,
            FloorPermille = driver.FloorPermille,
            LowestSocWhileDischarging = driver.LowestSocWhileDischarging,
            Refusals = operatorScript.Refusals,
            Summary = charger.Policy.LastSummary,
            Records = records,
            Balance = journal.Balance(0, long.MaxValue),
            MeterImportWh = charger.Converter.ImportWh,
            MeterExportWh = charger.Converter.ExportWh,
            AggregatorAckedUpTo = AckedUpTo(server, charger.Id),
            ServerRecords = stored,
            UpPriceMilli = operatorScript.UpPriceMilli,
            DownPriceMilli = operatorScript.DownPriceMilli,
            ServerBalance = await phone.GetAsync("/api/me/balance?from=2000-01-01&to=2100-01-01").ConfigureAwait(false),
            ServerStatement = await phone.GetAsync("/api/me/statements/" + month).ConfigureAwait(false),
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

        Require(r.Allowed, "the driver never allowed sharing from the phone");
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
        Require(r.ServerRecords == journal.LastRecordId, $"the server holds {r.ServerRecords} ledger records of the charger's {journal.LastRecordId}");
        Require(r.DownPriceMilli >= 25_000, $"the planner offered {r.DownPriceMilli / 1000.0} on the down-DR, below the driver's minimum of 25");
        if (r.Balance is { } books && r.ServerBalance.ValueKind == JsonValueKind.Object)
        {
            long serverNet = (long)(r.ServerBalance.GetProperty("all").GetProperty("net").GetDecimal() * 1000m);
            Require(serverNet == books.NetMilli, $"the server's balance for the driver ({serverNet / 1000.0:0.000}) differs from the charger's ({books.NetMilli / 1000.0:0.000})");
        }
    }
}
