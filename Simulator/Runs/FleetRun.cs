using System.Diagnostics;
using ChargerFirmware.Panel;
using ChargerFirmware.Protocol.Messages;
using ChargerFirmware.Simulator.Aggregator;
using ChargerFirmware.Simulator.Hardware;

namespace ChargerFirmware.Simulator.Runs;

/// <summary>What a fleet run measured.</summary>
public sealed record FleetReport
{
    /// <summary>Chargers in the fleet.</summary>
    public int Chargers { get; init; }

    /// <summary>Wall time from start until every charger was online, or null when some never were.</summary>
    public TimeSpan? AllOnlineAfter { get; init; }

    /// <summary>Chargers that answered the fleet dispatch.</summary>
    public int Answered { get; init; }

    /// <summary>Answers by status and reason ("accepted", "rejected below-floor"…).</summary>
    public Dictionary<string, int> Answers { get; init; } = [];

    /// <summary>Wall ms from publishing each dispatch to its first acknowledgement, sorted.</summary>
    public List<double> AnswerMs { get; init; } = [];

    /// <summary>Process CPU over the run, percent of one core.</summary>
    public double CpuPercentOfOneCore { get; init; }

    /// <summary>Working set at the end, MB.</summary>
    public double WorkingSetMb { get; init; }

    /// <summary>Managed heap at the end, MB.</summary>
    public double ManagedHeapMb { get; init; }

    /// <summary>Simulated seconds every charger reached.</summary>
    public double SimulatedSeconds { get; init; }

    /// <summary>Wall seconds of the run.</summary>
    public double WallSeconds { get; init; }

    /// <summary>Control ticks run, all chargers.</summary>
    public long Ticks { get; init; }

    /// <summary>Every charger online and every one answered.</summary>
    public bool Success => AllOnlineAfter is not null && Answered == Chargers;
}

/// <summary>
/// Many chargers in one process, each with its own MQTT connection, stepped by a couple of
/// scheduler threads: every driver plugs a car in and allows sharing, the aggregator sends one
/// down-DR dispatch to all of them at once, and the run reports how long the fleet took to come
/// online, how fast and how every charger answered, CPU and memory.
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
        await using SimulationHost host = await SimulationHost.CreateAsync(options, Log, withAggregator: !options.NoAggregator, verboseAggregator: false, cancel: cancel).ConfigureAwait(false);
        ReferenceAggregator? aggregator = host.Aggregator;
        var random = new Random(options.Seed);
        foreach (SimulatedCharger charger in host.Chargers)
        {
            var car = new CarSpec(CapacityWh: random.Next(4, 9) * 10_000, SocPermille: random.Next(40, 90) * 10, PowerLineLink: true);
            charger.AfterStep = new FleetDriver(car, random.Next(2_000, 30_000)).AfterStep;
        }

        if (aggregator is not null)
        {
            await new DemoScenario().PublishStandingPricesAsync(aggregator, host.Chargers.Select(c => c.Id)).ConfigureAwait(false);
        }

        host.Start();
        Log($"fleet     | {host.Chargers.Count} chargers, {host.Scheduler.ThreadCount} scheduler threads, speed x{options.Speed:0.##}, broker {host.Broker}");
        bool online = await host.WaitAllOnlineAsync(TimeSpan.FromSeconds(60), cancel).ConfigureAwait(false);
        TimeSpan? onlineAfter = online ? wall.Elapsed : null;
        Log(online ? $"fleet     | all {host.Chargers.Count} online after {wall.Elapsed.TotalSeconds:0.0} s" : $"fleet     | only {host.Chargers.Count(c => c.Link?.Online == true)} of {host.Chargers.Count} online after 60 s");

        var dispatches = new Dictionary<string, string>();
        if (online && aggregator is not null)
        {
            await WaitForConsentAsync(aggregator, host, TimeSpan.FromSeconds(60), cancel).ConfigureAwait(false);
            Log($"fleet     | down-DR to every charger: -5000 W for 10 min at sell 30 JPY/kWh");
            string[] ids = await Task.WhenAll(host.Chargers.Select(c => aggregator.DispatchAsync(c.Id, -5_000, 600, sellMilli: DemoScenario.ShortageSellMilli))).ConfigureAwait(false);
            for (int i = 0; i < ids.Length; i++)
            {
                dispatches[host.Chargers[i].Id] = ids[i];
            }

            await WaitForAnswersAsync(aggregator, dispatches, TimeSpan.FromSeconds(30), cancel).ConfigureAwait(false);
        }

        FleetReport report = Measure(host, aggregator, dispatches, process, cpuAtStart, wall) with { AllOnlineAfter = onlineAfter };
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
                Log($"fleet     | {Summary(host, aggregator)}");
            }
        }

        return report;
    }

    /// <summary>Prints the figures.</summary>
    public static void Print(FleetReport r, TextWriter o)
    {
        static double At(List<double> sorted, double q) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))];
        o.WriteLine();
        o.WriteLine($"== fleet of {r.Chargers}: {(r.Success ? "every charger online and answering" : "NOT every charger online and answering")}");
        o.WriteLine($"  all online after   {(r.AllOnlineAfter is { } t ? $"{t.TotalSeconds:0.00} s" : "never")}");
        o.WriteLine($"  dispatch answered  {r.Answered}/{r.Chargers}: {string.Join(", ", r.Answers.OrderBy(a => a.Key).Select(a => $"{a.Value} {a.Key}"))}");
        o.WriteLine($"  answer time (wall) p50 {At(r.AnswerMs, 0.5):0.0} ms, p95 {At(r.AnswerMs, 0.95):0.0} ms, max {At(r.AnswerMs, 1):0.0} ms");
        o.WriteLine($"  CPU                {r.CpuPercentOfOneCore:0} % of one core over {r.WallSeconds:0.0} s ({Environment.ProcessorCount} cores)");
        o.WriteLine($"  memory             working set {r.WorkingSetMb:0} MB, managed heap {r.ManagedHeapMb:0} MB");
        o.WriteLine($"  simulated          {r.SimulatedSeconds:0} s per charger, {r.Ticks} control ticks in all ({r.Ticks / Math.Max(0.001, r.WallSeconds):0} ticks/s)");
    }

    private static async Task WaitForConsentAsync(ReferenceAggregator aggregator, SimulationHost host, TimeSpan timeout, CancellationToken cancel)
    {
        DateTime until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            int granted = host.Chargers.Count(c =>
            {
                ChargerView v = aggregator.View(c.Id);
                lock (v.Gate)
                {
                    return v.Status is { Consent: ConsentState.Granted };
                }
            });
            if (granted == host.Chargers.Count)
            {
                return;
            }

            await Task.Delay(100, cancel).ConfigureAwait(false);
        }
    }

    private static async Task WaitForAnswersAsync(ReferenceAggregator aggregator, Dictionary<string, string> dispatches, TimeSpan timeout, CancellationToken cancel)
    {
        DateTime until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until && Answered(aggregator, dispatches).Count < dispatches.Count)
        {
            await Task.Delay(50, cancel).ConfigureAwait(false);
        }
    }

    private static List<DispatchAckMessage> Answered(ReferenceAggregator aggregator, Dictionary<string, string> dispatches)
    {
        var first = new List<DispatchAckMessage>();
        foreach ((string charger, string id) in dispatches)
        {
            ChargerView v = aggregator.View(charger);
            lock (v.Gate)
            {
                if (v.AcksOf(id).FirstOrDefault() is { } ack)
                {
                    first.Add(ack);
                }
            }
        }

        return first;
    }

    private static FleetReport Measure(SimulationHost host, ReferenceAggregator? aggregator, Dictionary<string, string> dispatches, Process process, TimeSpan cpuAtStart, Stopwatch wall)
    {
        process.Refresh();
        var latencies = new List<double>();
        var answers = new Dictionary<string, int>();
        if (aggregator is not null)
        {
            foreach (DispatchAckMessage ack in Answered(aggregator, dispatches))
            {
                string key = DispatchStatus.Names.Name(ack.Status) + (ack.Reason is null ? "" : " " + ack.Reason);
                answers[key] = answers.GetValueOrDefault(key) + 1;
            }

            foreach ((string charger, string id) in dispatches)
            {
                ChargerView v = aggregator.View(charger);
                lock (v.Gate)
                {
                    if (v.AckLatencyMs.TryGetValue(id, out double ms))
                    {
                        latencies.Add(ms);
                    }
                }
            }
        }

        latencies.Sort();
        double wallSeconds = wall.Elapsed.TotalSeconds;
        return new FleetReport
        {
            Chargers = host.Chargers.Count,
            Answered = answers.Values.Sum(),
            Answers = answers,
            AnswerMs = latencies,
            CpuPercentOfOneCore = (process.TotalProcessorTime - cpuAtStart).TotalSeconds / wallSeconds * 100,
            WorkingSetMb = process.WorkingSet64 / 1048576.0,
            ManagedHeapMb = GC.GetTotalMemory(false) / 1048576.0,
            SimulatedSeconds = host.Scheduler.SlowestMs / 1000.0,
            WallSeconds = wallSeconds,
            Ticks = host.Chargers.Sum(c => c.Ticks),
        };
    }

    private static string Summary(SimulationHost host, ReferenceAggregator? aggregator) =>
        $"online {host.Chargers.Count(c => c.Link?.Online == true)}/{host.Chargers.Count}, simulated {host.Scheduler.SlowestMs / 1000} s"
        + (aggregator is null ? "" : $", aggregator sees {aggregator.OnlineCount} online");

    // A fleet driver: plugs in after a delay, allows sharing with the preset offered first.
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
