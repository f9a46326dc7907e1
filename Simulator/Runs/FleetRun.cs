using System.Diagnostics;
using System.Text.Json;
using ChargerFirmware.Aggregator;
using ChargerFirmware.Aggregator.Dispatch;
using ChargerFirmware.Panel;
using ChargerFirmware.Simulator.Aggregator;
using ChargerFirmware.Simulator.Hardware;

namespace ChargerFirmware.Simulator.Runs;

/// <summary>What a fleet run measured.</summary>
public sealed record FleetReport
{
    /// <summary>Chargers in the fleet.</summary>
    public int Chargers { get; init; }

    /// <summary>Server instances.</summary>
    public int Servers { get; init; }

    /// <summary>Wall time from start until every charger was online, or null when some never were.</summary>
    public TimeSpan? AllOnlineAfter { get; init; }

    /// <summary>Chargers whose driver allowed sharing.</summary>
    public int Consented { get; init; }

    /// <summary>The demand response: asked power, W, and length, s (0 when none ran).</summary>
    public long RequestedW { get; init; }

    /// <summary>See <see cref="RequestedW"/>.</summary>
    public int DurationS { get; init; }

    /// <summary>The sell price the planner offered, milli-currency per kWh.</summary>
    public long PriceMilli { get; init; }

    /// <summary>Orders by state and reason.</summary>
    public Dictionary<string, int> Orders { get; init; } = [];

    /// <summary>Energy asked for, Wh.</summary>
    public long RequestedWh { get; init; }

    /// <summary>Energy the ledger records under the demand response's orders, Wh.</summary>
    public long DeliveredWh { get; init; }

    /// <summary>Ledger records the chargers hold (the sum of their last record ids).</summary>
    public long LedgerHeld { get; init; }

    /// <summary>Ledger records the database holds (each key once by its primary key).</summary>
    public long LedgerStored { get; init; }

    /// <summary>Chargers whose journal the server acknowledged to its last record.</summary>
    public int LedgerFullyAcked { get; init; }

    /// <summary>Messages each server instance stored.</summary>
    public List<long> Handled { get; init; } = [];

    /// <summary>Process CPU over the run, percent of one core.</summary>
    public double CpuPercentOfOneCore { get; init; }

    /// <summary>Working set at the end, MB.</summary>
    public double WorkingSetMb { get; init; }

    /// <summary>Simulated seconds every charger reached.</summary>
    public double SimulatedSeconds { get; init; }

    /// <summary>Wall seconds of the run.</summary>
    public double WallSeconds { get; init; }

    /// <summary>Control ticks run, all chargers.</summary>
    public long Ticks { get; init; }

    /// <summary>Delivered over asked energy, percent.</summary>
    public double DeliveredPct => RequestedWh == 0 ? 0 : 100.0 * DeliveredWh / RequestedWh;

    /// <summary>Orders that got an answer (any state but planned, sent and unanswered).</summary>
    public int Answered => Orders.Where(o => !o.Key.StartsWith("planned", StringComparison.Ordinal) && !o.Key.StartsWith("sent", StringComparison.Ordinal)
        && !o.Key.StartsWith("unanswered", StringComparison.Ordinal)).Sum(o => o.Value);

    /// <summary>Every charger online; with a server, every charger sharing, every order answered, every ledger record stored once and acknowledged.</summary>
    public bool Success => AllOnlineAfter is not null && (Servers == 0 || (Consented == Chargers && Answered == Orders.Values.Sum() && Orders.Count > 0
        && LedgerStored == LedgerHeld && LedgerFullyAcked == Chargers));
}

/// <summary>
/// Many chargers in one process, each with its own MQTT connection, stepped by a couple of
/// scheduler threads, against the aggregator's server (one instance, or several sharing the
/// traffic through MQTT 5 shared subscriptions and one PostgreSQL): every driver plugs a car in
/// and allows sharing on the panel; the operator declares one down-DR starting two simulated
/// minutes later; the planner recruits vehicles and sets the price; the run waits for the end and
/// for every ledger record, and reports orders, delivered against asked energy, ledger records held
/// by the chargers against stored by the server, CPU and memory.
/// </summary>
public static class FleetRun
{
    /// <summary>Runs the fleet; without --duration it keeps running after the report until cancelled.</summary>
    public static async Task<FleetReport> RunAsync(SimOptions options, TextWriter output, CancellationToken cancel)
    {
        void Log(string line)
        {
            lock (output)
            {
                output.WriteLine(line);
            }
        }

        var process = Process.GetCurrentProcess();
        TimeSpan cpuAtStart = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        await using SimulationHost host = await SimulationHost.CreateAsync(options, Log, withAggregator: false, verboseAggregator: false,
            withServer: !options.NoAggregator, cancel: cancel).ConfigureAwait(false);
        var random = new Random(options.Seed);
        foreach (SimulatedCharger charger in host.Chargers)
        {
            var car = new CarSpec(CapacityWh: random.Next(4, 9) * 10_000, SocPermille: random.Next(40, 90) * 10, PowerLineLink: true);
            charger.AfterStep = new FleetDriver(car, random.Next(2_000, 30_000)).AfterStep;
        }

        host.Start();
        Log($"fleet     | {host.Chargers.Count} chargers, {host.Scheduler.ThreadCount} scheduler threads, speed x{options.Speed:0.##}, broker {host.Broker}, {host.Servers.Count} server instance(s)");
        bool online = await host.WaitAllOnlineAsync(TimeSpan.FromSeconds(90), cancel).ConfigureAwait(false);
        TimeSpan? onlineAfter = online ? wall.Elapsed : null;
        Log(online ? $"fleet     | all {host.Chargers.Count} online after {wall.Elapsed.TotalSeconds:0.0} s" : $"fleet     | only {host.Chargers.Count(c => c.Link?.Online == true)} of {host.Chargers.Count} online after 90 s");

        long drId = 0;
        if (online && host.Servers.Count > 0)
        {
            await WaitForConsentAsync(host, TimeSpan.FromSeconds(120), cancel).ConfigureAwait(false);
            using ServerClient console = ServerClient.Operator(host.Server.Url!, host.Server.OperatorKey);
            double kw = options.DrKw ?? 2.0 * host.Chargers.Count;
            long start = host.SimUtcMs + 120_000;
            JsonElement dr = await console.PostAsync("/api/operator/drs", new { direction = "down", kw, start, minutes = options.DrMinutes, note = "fleet" }).ConfigureAwait(false);
            drId = dr.GetProperty("id").GetInt64();
            Log($"fleet     | the operator declares a down-DR of {kw:0.#} kW for {options.DrMinutes} min, starting in 2 simulated minutes: #{drId}");
            await WaitForEndAsync(host, drId, start + (options.DrMinutes * 60_000L), cancel).ConfigureAwait(false);
        }

        FleetReport report = Measure(host, drId, process, cpuAtStart, wall) with { AllOnlineAfter = onlineAfter };
        if (options.Duration is null)
        {
            Print(report, output);
            Log("fleet     | running on; Ctrl-C stops");
        }

        DateTime until = options.Duration is { } d ? DateTime.UtcNow + (d - wall.Elapsed) : DateTime.MaxValue;
        while (DateTime.UtcNow < until && !cancel.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromSeconds(Math.Clamp((until - DateTime.UtcNow).TotalSeconds, 0, 10)), cancel).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            if (options.Duration is null && !cancel.IsCancellationRequested)
            {
                Log($"fleet     | online {host.Chargers.Count(c => c.Link?.Online == true)}/{host.Chargers.Count}, simulated {host.Scheduler.SlowestMs / 1000} s");
            }
        }

        return report;
    }

    /// <summary>Prints the figures.</summary>
    public static void Print(FleetReport r, TextWriter o)
    {
        o.WriteLine();
        o.WriteLine($"== fleet of {r.Chargers} with {r.Servers} server instance(s): {(r.Success ? "every charger sharing, every order answered, every ledger record stored once" : "NOT every charger sharing, answered and stored once")}");
        o.WriteLine($"  all online after   {(r.AllOnlineAfter is { } t ? $"{t.TotalSeconds:0.00} s" : "never")}; {r.Consented} sharing");
        o.WriteLine($"  down-DR            {r.RequestedW / 1000.0:0.#} kW for {r.DurationS / 60} min at {r.PriceMilli / 1000.0:0.###} JPY/kWh: {string.Join(", ", r.Orders.OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => $"{x.Value} {x.Key}"))}");
        o.WriteLine($"  energy             delivered {r.DeliveredWh / 1000.0:0.0} kWh of {r.RequestedWh / 1000.0:0.0} kWh asked ({r.DeliveredPct:0.0} %)");
        o.WriteLine($"  ledger             {r.LedgerStored} records stored of {r.LedgerHeld} held by the chargers; {r.LedgerFullyAcked}/{r.Chargers} chargers acknowledged to their last record");
        o.WriteLine($"  instances          messages stored: {string.Join(" + ", r.Handled)}");
        o.WriteLine($"  CPU                {r.CpuPercentOfOneCore:0} % of one core over {r.WallSeconds:0.0} s ({Environment.ProcessorCount} cores); working set {r.WorkingSetMb:0} MB");
        o.WriteLine($"  simulated          {r.SimulatedSeconds:0} s per charger, {r.Ticks} control ticks in all ({r.Ticks / Math.Max(0.001, r.WallSeconds):0} ticks/s)");
    }

    private static async Task WaitForConsentAsync(SimulationHost host, TimeSpan timeout, CancellationToken cancel)
    {
        DateTime until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until && Granted(host) < host.Chargers.Count)
        {
            await Task.Delay(200, cancel).ConfigureAwait(false);
        }
    }

    private static int Granted(SimulationHost host) => (int)(host.Server.Db.Read(tx => tx.Long(
        "SELECT COUNT(*) FROM charger_status s JOIN chargers c ON c.id = s.charger_id WHERE c.online = 1 AND s.consent = 'granted'")) ?? 0);

    // Until the demand response is over and every charger's ledger is acknowledged to its last record.
    private static async Task WaitForEndAsync(SimulationHost host, long drId, long endMs, CancellationToken cancel)
    {
        while (host.SimUtcMs < endMs + 30_000 || host.Server.DemandResponses.Get(drId)?.State is "scheduled" or "active")
        {
            await Task.Delay(200, cancel).ConfigureAwait(false);
        }

        DateTime until = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < until && FullyAcked(host) < host.Chargers.Count)
        {
            await Task.Delay(200, cancel).ConfigureAwait(false);
        }
    }

    private static int FullyAcked(SimulationHost host)
    {
        Dictionary<string, long> acked = host.Server.Db.Read(tx => tx.Query("SELECT id, ledger_acked_up_to FROM chargers", r => (r.String("id"), r.Long("ledger_acked_up_to"))))
            .ToDictionary(x => x.Item1, x => x.Item2);
        return host.Chargers.Count(c => c.Policy.Journal.LastRecordId == acked.GetValueOrDefault(c.Id) && c.Policy.Journal.AckedUpTo == c.Policy.Journal.LastRecordId);
    }

    private static FleetReport Measure(SimulationHost host, long drId, Process process, TimeSpan cpuAtStart, Stopwatch wall)
    {
        process.Refresh();
        double wallSeconds = wall.Elapsed.TotalSeconds;
        DrReport? dr = drId == 0 ? null : host.Server.DemandResponses.Report(drId);
        return new FleetReport
        {
            Chargers = host.Chargers.Count,
            Servers = host.Servers.Count,
            Consented = host.Servers.Count == 0 ? 0 : Granted(host),
            RequestedW = dr?.Dr.PowerW ?? 0,
            DurationS = dr?.Dr.DurationS ?? 0,
            PriceMilli = dr?.Dr.PriceMilli ?? 0,
            Orders = dr?.Orders.ToDictionary(x => x.Key, x => x.Value) ?? [],
            RequestedWh = dr?.Dr.RequestedWh ?? 0,
            DeliveredWh = dr?.DeliveredWh ?? 0,
            LedgerHeld = host.Chargers.Sum(c => c.Policy.Journal.LastRecordId),
            LedgerStored = host.Servers.Count == 0 ? 0 : host.Server.Db.Read(tx => tx.Long("SELECT COUNT(*) FROM ledger_records")) ?? 0,
            LedgerFullyAcked = host.Servers.Count == 0 ? 0 : FullyAcked(host),
            Handled = [.. host.Servers.Select(s => s.Traffic.Handled)],
            CpuPercentOfOneCore = (process.TotalProcessorTime - cpuAtStart).TotalSeconds / wallSeconds * 100,
            WorkingSetMb = process.WorkingSet64 / 1048576.0,
            SimulatedSeconds = host.Scheduler.SlowestMs / 1000.0,
            WallSeconds = wallSeconds,
            Ticks = host.Chargers.Sum(c => c.Ticks),
        };
    }

    // A fleet driver: plugs in after a delay, allows sharing on the panel with the preset offered first.
    private sealed class FleetDriver(CarSpec car, int plugAfterMs)
    {
        private long _onlineAtMs = -1;
        private long _promptAtMs = -1;
        private bool _done;

        public void AfterStep(SimulatedCharger charger)
        {
            if (_done || charger.Ticks % 25 != 0)
            {
                return;
            }

            long now = charger.NowMs;
            if (_onlineAtMs < 0)
            {
                _onlineAtMs = charger.Link?.Online == true ? now : -1;
                return;
            }

            if (charger.Car is null && now - _onlineAtMs >= plugAfterMs)
            {
                charger.Plug(car);
            }
            else if (charger.Policy.AwaitingConsent)
            {
                _promptAtMs = _promptAtMs < 0 ? now : _promptAtMs;
                if (now - _promptAtMs >= 5_000)
                {
                    charger.Tap(PanelButtons.Allow);
                    _done = true;
                }
            }
        }
    }
}
