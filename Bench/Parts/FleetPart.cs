using System.Diagnostics;
using System.Globalization;
using System.Text;
using ChargerFirmware.Bench.Macro;
using ChargerFirmware.VirtualHardware.Mqtt;
using ChargerFirmware.Bench.Report;
using ChargerFirmware.Bench.Rig;
using ChargerFirmware.Protocol.Messages;

namespace ChargerFirmware.Bench.Parts;

/// <summary>
/// A fleet of virtual chargers on this machine against one local mosquitto: each charger is the real
/// firmware (core, session, link) with its own MQTT connection; a few scheduler threads step all
/// control loops and links every 20 ms. All plug in with consent; then the aggregator fans out one
/// dispatch per charger and waits for every "active" ack. Bounded in time; loopback only.
/// </summary>
public static class FleetPart
{
    public const int TargetMs = 2000;
    private const int TickMs = 20;

    public static PartResult Run(bool quick)
    {
        int n = quick ? 200 : 1000;
        int threads = Math.Max(2, 2 * Environment.ProcessorCount);
        using var broker = new Mosquitto(verbose: false);
        var clock = new HostClock();
        long heapBefore = Heap.Settled();
        long brokerBefore = broker.ResidentBytes();

        Console.WriteLine($"== fleet: {n} chargers connect");
        var watch = Stopwatch.StartNew();
        var fleet = new LinkedCharger[n];
        for (int i = 0; i < n; i++)
        {
            fleet[i] = new LinkedCharger(clock, broker.Port, $"fleet-{i:D4}", TickMs);
        }

        for (int attempt = 0; attempt < 3 && fleet.Any(c => !c.Link.Status.Connected); attempt++)
        {
            Thread.Sleep(attempt == 0 ? 0 : 2500); // past the reconnect backoff (at most 2 s here)
            Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i =>
            {
                if (!fleet[i].Link.Status.Connected)
                {
                    fleet[i].Step();
                }
            });
        }

        int unconnected = fleet.Count(f => !f.Link.Status.Connected);
        if (unconnected > 0)
        {
            throw new InvalidOperationException($"{unconnected} of {n} chargers could not connect: {fleet.First(f => !f.Link.Status.Connected).Link.Status.LastError}");
        }

        double connectS = watch.Elapsed.TotalSeconds;
        using var scheduler = new FleetScheduler(fleet, threads, TickMs);
        Console.WriteLine($"== fleet: {n} cars plug in with consent");
        BenchCharger.PlugIn(fleet.Select(f => f.Charger).ToList(), allow: true);
        Thread.Sleep(2000);
        long heapAfter = Heap.Settled();
        long brokerAfter = broker.ResidentBytes();

        Console.WriteLine($"== fleet: fan-out of {n} dispatches");
        var ackAt = new long[n];
        int acked = 0;
        using var all = new ManualResetEventSlim();
        var codec = new MessageCodec("aggregator");
        var gate = new object();
        using var aggregator = new AggregatorClient(broker.Port, "bench-fleet-aggregator", (_, payload, at) =>
        {
            var ack = new DispatchAckMessage();
            lock (gate)
            {
                if (!codec.TryDecode(payload, payload.Length, ack, out string? _))
                {
                    return;
                }
            }

            if (ack.Status == DispatchStatus.Active && ack.Id is { } id && id.StartsWith("fan-", StringComparison.Ordinal)
                && Interlocked.CompareExchange(ref ackAt[int.Parse(id.AsSpan(4), CultureInfo.InvariantCulture)], at, 0) == 0
                && Interlocked.Increment(ref acked) == n)
            {
                all.Set();
            }
        });
        aggregator.Subscribe("chargers/+/dispatch/ack");
        var payloads = new byte[n][];
        var topics = new string[n];
        for (int i = 0; i < n; i++)
        {
            DispatchMessage order = fleet[i].Charger.NewDispatch(-3_000);
            order.Id = $"fan-{i}";
            order.HasRampWps = false;
            payloads[i] = Wire.Encode(order);
            topics[i] = fleet[i].DispatchTopic;
        }

        scheduler.ResetCounters();
        long start = Stopwatch.GetTimestamp();
        Task[] publishes = new Task[n];
        for (int i = 0; i < n; i++)
        {
            publishes[i] = aggregator.PublishAsync(topics[i], payloads[i]);
        }

        Task.WaitAll(publishes, TimeSpan.FromSeconds(30));
        double publishedMs = Percentiles.MsSince(start, Stopwatch.GetTimestamp());
        bool complete = all.Wait(TimeSpan.FromSeconds(30));
        double longestPass = scheduler.LongestPassMs;
        int overruns = scheduler.Overruns;
        var latencies = ackAt.Where(a => a != 0).Select(a => Percentiles.MsSince(start, a)).ToList();
        int applied = fleet.Count(f => f.Charger.Parts.Converter.SetpointW == -3_000);

        Console.WriteLine("== fleet: shutting down");
        scheduler.Dispose();
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i => fleet[i].Transport.Dispose());

        var f = new Figures(n, threads, connectS, publishedMs, complete, latencies.Count == 0 ? null : new Percentiles(latencies), applied,
            (heapAfter - heapBefore) / (double)n, (brokerAfter - brokerBefore) / (double)n, longestPass, overruns);
        return Build(f, quick);
    }

    /// <summary>What the fleet bench measured.</summary>
    public sealed record Figures(int Chargers, int Threads, double ConnectS, double PublishedMs, bool Complete, Percentiles? Acks, int Applied,
        double HeapPerCharger, double BrokerPerCharger, double LongestPassMs, int Overruns);

    public static PartResult Build(Figures f, bool quick)
    {
        var md = new StringBuilder();
        md.AppendLine($"## Fleet: {f.Chargers} virtual chargers against one mosquitto");
        md.AppendLine();
        md.AppendLine($"Each charger is the real firmware (core, session policy, link) over virtual parts with its own MQTT connection");
        md.AppendLine($"(MQTTnet); {f.Threads} scheduler threads step every control loop and link round every {TickMs} ms. All plug in");
        md.AppendLine("with consent and prices; then the aggregator publishes one 3 kW discharge dispatch per charger at once");
        md.AppendLine("(QoS 1, all in flight together) and waits for every \"active\" ack.");
        md.AppendLine();
        md.AppendLine("| figure | value |");
        md.AppendLine("| --- | ---: |");
        md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| connect {f.Chargers} chargers (16 at a time) | {f.ConnectS:F1} s |"));
        md.AppendLine($"| fan-out published (last PUBACK) | {Percentiles.Ms(f.PublishedMs)} |");
        if (f.Acks is { } a)
        {
            md.AppendLine($"| acks received | {a.Count} of {f.Chargers} |");
            md.AppendLine($"| fan-out → ack, p50 / p99 | {Percentiles.Ms(a.P50)} / {Percentiles.Ms(a.P99)} |");
            md.AppendLine($"| fan-out → last ack | {Percentiles.Ms(a.Max)} |");
        }

        md.AppendLine($"| converters at the dispatched setpoint afterwards | {f.Applied} of {f.Chargers} |");
        md.AppendLine($"| longest scheduler pass during the fan-out ({f.Chargers / f.Threads} chargers per thread) | {Percentiles.Ms(f.LongestPassMs)} ({f.Overruns} passes over {TickMs} ms) |");
        md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| managed heap per charger, whole host composition (firmware + virtual parts + MQTTnet client) | {f.HeapPerCharger / 1024:F1} KB |"));
        md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| mosquitto resident memory per connected charger | {f.BrokerPerCharger / 1024:F1} KB |"));
        md.AppendLine();
        md.AppendLine("The per-charger heap here is the host's: it includes an MQTTnet client and the virtual parts; the firmware's");
        md.AppendLine("own share is the memory part's figure.");

        bool meets = f.Complete && f.Acks is { } acks && acks.Max <= TargetMs;
        string figure = f.Acks is { } got
            ? $"last of {got.Count}/{f.Chargers} acks {Percentiles.Ms(got.Max)} after the fan-out began (p50 {Percentiles.Ms(got.P50)}, p99 {Percentiles.Ms(got.P99)})"
            : "no ack received";
        if (!meets)
        {
            figure += f.Complete ? "; the scheduler passes and the links' synchronous QoS 1 publishes queue behind each other on this 2-core machine" : $"; only {f.Acks?.Count ?? 0} acks within 30 s";
        }

        var target = new TargetLine { Order = 5, Target = $"fleet of 1,000: all acks within 2 s of the fan-out{(f.Chargers != 1000 ? $" (this run: {f.Chargers})" : "")}", Figure = figure, Meets = meets };
        return new PartResult { Part = "fleet", Quick = quick, Markdown = md.ToString(), Targets = [target] };
    }
}
