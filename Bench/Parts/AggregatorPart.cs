using System.Globalization;
using System.Text;
using ChargerFirmware.Aggregator.Tests.Support;
using ChargerFirmware.Bench.Macro;
using ChargerFirmware.Bench.Report;
using ChargerFirmware.Simulator;
using ChargerFirmware.Simulator.Runs;
using ChargerFirmware.VirtualHardware.Mqtt;

namespace ChargerFirmware.Bench.Parts;

/// <summary>
/// The aggregator's server at town scale: 1,000 simulated chargers (the real firmware, one MQTT
/// connection each), two server instances sharing them through MQTT 5 shared subscriptions on a
/// local mosquitto and one PostgreSQL (a throw-away cluster with fsync on), and a down-DR of 1 MW
/// for 15 minutes that the planner recruits vehicles and sets the price for. The simulator's fleet
/// mode runs it; simulated time runs up to three times faster than the wall and follows the
/// slowest charger, so the server's clock and every timing rule stay honest when the machine is
/// loaded.
/// </summary>
public static class AggregatorPart
{
    /// <summary>The stated tolerance on delivered against asked energy, percent.</summary>
    public const double TolerancePct = 5;

    public static PartResult Run(bool quick)
    {
        int chargers = quick ? 200 : 1000;
        int kw = quick ? 200 : 1000;
        int minutes = quick ? 5 : 15;
        using var broker = new Mosquitto();
        var postgres = new PostgresCluster(durable: true);
        string database = postgres.NewDatabase("bench");
        string[] args = ["--chargers", chargers.ToString(CultureInfo.InvariantCulture), "--id", "town", "--broker", $"mqtt://127.0.0.1:{broker.Port}",
            "--servers", "2", "--postgres", database, "--dr-kw", kw.ToString(CultureInfo.InvariantCulture), "--dr-minutes", minutes.ToString(CultureInfo.InvariantCulture),
            "--speed", "3", "--duration", "1"];
        Console.WriteLine("== aggregator: dotnet run --project Simulator -- " + string.Join(' ', args.Select(a => a.Contains(';', StringComparison.Ordinal) ? "\"<postgres>\"" : a)));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(60));
        FleetReport report = FleetRun.RunAsync(SimOptions.Parse(args), Console.Out, cancel.Token).GetAwaiter().GetResult();
        FleetRun.Print(report, Console.Out);
        return Build(report, quick);
    }

    public static PartResult Build(FleetReport r, bool quick)
    {
        var md = new StringBuilder();
        md.AppendLine($"## Aggregator: {r.Chargers} chargers, {r.Servers} server instances, a down-DR of {r.RequestedW / 1_000_000.0:0.###} MW for {r.DurationS / 60} minutes");
        md.AppendLine();
        md.AppendLine("The simulator's fleet mode (`--chargers N --servers 2 --broker … --postgres …`): every charger is the real firmware");
        md.AppendLine("with its own MQTT connection; the drivers plug in and allow sharing on the panel (the balanced pattern: keep 50 %,");
        md.AppendLine("sell at 25 or more); two instances of the aggregator's server share the chargers' traffic through MQTT 5 shared");
        md.AppendLine("subscriptions on one mosquitto and keep everything in one PostgreSQL 15 (fsync on); the operator declares the");
        md.AppendLine("down-DR two simulated minutes ahead; the planner recruits vehicles and raises the sell price from the standing 18");
        md.AppendLine("in steps of 3.6 until enough drivers' minimums are met. Delivered energy is what the chargers' ledger records under");
        md.AppendLine("the demand response's orders; simulated time runs up to 3× the wall and follows the slowest charger.");
        md.AppendLine();
        md.AppendLine("| figure | value |");
        md.AppendLine("| --- | ---: |");
        md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| chargers online / sharing | {(r.AllOnlineAfter is { } t ? $"all after {t.TotalSeconds:F1} s" : "not all")} / {r.Consented} |"));
        md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| price the planner offered | {r.PriceMilli / 1000.0:0.###} JPY/kWh |"));
        md.AppendLine($"| orders | {string.Join(", ", r.Orders.OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => $"{x.Value} {x.Key}"))} |");
        md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| energy asked / delivered (ledger) | {r.RequestedWh / 1000.0:F1} kWh / {r.DeliveredWh / 1000.0:F1} kWh ({r.DeliveredPct:F1} %) |"));
        md.AppendLine($"| ledger records held by the chargers / stored by the server | {r.LedgerHeld} / {r.LedgerStored} |");
        md.AppendLine($"| chargers acknowledged to their last record | {r.LedgerFullyAcked} of {r.Chargers} |");
        md.AppendLine($"| messages stored by each instance | {string.Join(" / ", r.Handled)} |");
        md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| simulated / wall time | {r.SimulatedSeconds / 60:F1} min / {r.WallSeconds / 60:F1} min ({r.Ticks / Math.Max(1, r.WallSeconds):F0} control ticks/s) |"));
        md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| CPU (chargers, servers, in one process) / working set | {r.CpuPercentOfOneCore:F0} % of one core / {r.WorkingSetMb:F0} MB |"));

        bool delivered = r.RequestedWh > 0 && Math.Abs(r.DeliveredPct - 100) <= TolerancePct;
        bool once = r.LedgerStored == r.LedgerHeld && r.LedgerFullyAcked == r.Chargers;
        string scale = r.Chargers != 1000 ? $" (this run: {r.Chargers} chargers, {r.RequestedW / 1000} kW, {r.DurationS / 60} min)" : "";
        return new PartResult
        {
            Part = "aggregator",
            Quick = quick,
            Markdown = md.ToString(),
            Targets =
            [
                new TargetLine
                {
                    Order = 6,
                    Target = $"aggregator, 1,000 chargers and 2 server instances: a 1 MW down-DR for 15 min delivered within ±{TolerancePct:0} % of the energy asked{scale}",
                    Figure = string.Create(CultureInfo.InvariantCulture, $"{r.DeliveredWh / 1000.0:F1} of {r.RequestedWh / 1000.0:F1} kWh ({r.DeliveredPct:F1} %) at {r.PriceMilli / 1000.0:0.###} JPY/kWh"),
                    Meets = delivered,
                },
                new TargetLine
                {
                    Order = 7,
                    Target = $"aggregator: every ledger record stored exactly once and acknowledged{scale}",
                    Figure = $"{r.LedgerStored} stored of {r.LedgerHeld} held; {r.LedgerFullyAcked}/{r.Chargers} chargers acknowledged to their last record",
                    Meets = once,
                },
            ],
        };
    }
}
