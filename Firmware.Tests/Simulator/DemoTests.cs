using ChargerFirmware.Protocol.Messages;
using ChargerFirmware.Simulator;
using ChargerFirmware.Simulator.Runs;
using Xunit;

namespace ChargerFirmware.Tests.Simulator;

/// <summary>The demo, headless and in-process, fast, over the embedded broker: the whole story and its books.</summary>
[Collection(SimulatorCollection.Name)]
public class DemoTests
{
    [Fact]
    public async Task The_demo_story_happens_with_the_server_and_the_books_balance_on_both_sides()
    {
        SimOptions options = SimOptions.Parse(["--speed", "600", "--seed", "3"]);
        using var output = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        DemoReport report = await DemoRun.RunAsync(options, output, live: false, timeout.Token);

        Assert.True(report.Success, string.Join("; ", report.Failures) + Environment.NewLine + output);
        Assert.True(report.FloorReachedAtMs > 0);
        Assert.Equal(500, report.FloorPermille);
        Assert.InRange(report.LowestSocWhileDischarging, 498, 1000);

        var discharges = report.Records.Where(r => r.Kind == LedgerKind.AggregatorDischarge).ToList();
        Assert.NotEmpty(discharges);
        Assert.All(discharges, r => Assert.True(r.PriceMilliPerKWh >= 25_000, $"discharge #{r.RecordId} at {r.PriceMilliPerKWh}"));
        Assert.Contains(report.Records, r => r.Kind == LedgerKind.AggregatorCharge && r.PriceMilliPerKWh == 8_000);
        Assert.Contains(report.Refusals, r => r.EndsWith(" price-below-minimum", StringComparison.Ordinal));
        Assert.Contains("the driver allowed sharing from the phone", output.ToString(), StringComparison.Ordinal);
        Assert.Equal((8_000L, 30_000L), (report.UpPriceMilli, report.DownPriceMilli)); // the planner raised the sell price to the driver's minimum
        Assert.Equal(report.Records.Count, report.ServerRecords);

        var summary = report.Summary!;
        Assert.Equal(summary.ImportWh, report.Records.Where(r => LedgerKind.IsImport(r.Kind)).Sum(r => r.Wh));
        Assert.Equal(summary.ExportWh, report.Records.Where(r => r.Kind == LedgerKind.AggregatorDischarge).Sum(r => r.Wh));
        Assert.Equal(summary.NetMilli, report.Balance!.NetMilli);
        Assert.Equal(summary.EarningsMilli, discharges.Sum(r => r.AmountMilli));
        Assert.InRange(summary.ImportWh, report.MeterImportWh - 2 - (report.MeterImportWh / 200), report.MeterImportWh);
        Assert.Equal(report.Records.Max(r => r.RecordId), report.AggregatorAckedUpTo);

        using var printed = new StringWriter();
        DemoRun.Print(report, printed);
        Assert.Contains("the story happened", printed.ToString(), StringComparison.Ordinal);
        Assert.Contains("Discharged", printed.ToString(), StringComparison.Ordinal);
        Assert.Contains("the driver's balance and statement, from the aggregator's server", printed.ToString(), StringComparison.Ordinal);
        decimal due = report.ServerStatement.GetProperty("amountDue").GetDecimal();
        Assert.Equal((summary.PurchasesMilli - Math.Min(summary.EarningsMilli, summary.PurchasesMilli)) / 1000m, due); // offset against the month's charging
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--speed", "0")]
    [InlineData("--speed", "fast")]
    [InlineData("--chargers", "0")]
    [InlineData("--id", "bad id")]
    [InlineData("--port")]
    [InlineData("--tls")]
    [InlineData("--broker", "http://x:1")]
    [InlineData("--no-aggregator")]
    [InlineData("--interactive", "--aggregator-only")]
    [InlineData("--chargers", "3", "--servers", "2")]
    public async Task A_bad_command_line_exits_2_with_the_reason_and_the_usage(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await SimulatorProgram.RunAsync(args, TextReader.Null, output, error, live: false, CancellationToken.None);
        Assert.Equal(SimulatorProgram.BadUsage, code);
        Assert.StartsWith("error: ", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("Usage:", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Options_pick_the_mode_and_its_default_speed()
    {
        Assert.Equal((SimMode.Demo, SimOptions.DemoSpeed), Mode());
        Assert.Equal((SimMode.Interactive, 1.0), Mode("--interactive"));
        Assert.Equal((SimMode.Fleet, 1.0), Mode("--chargers", "3"));
        Assert.Equal((SimMode.AggregatorOnly, 4.0), Mode("--aggregator-only", "--speed", "4"));
        Assert.Equal(["ev-001", "ev-002"], SimOptions.Parse(["--chargers", "2", "--id", "ev"]).ChargerIds);
        var broker = SimOptions.Parse(["--broker", "mqtt://broker.local:1884", "--user", "u", "--password", "p"]).Broker!;
        Assert.Equal(("broker.local", 1884, false, "u"), (broker.Host, broker.Port, broker.Tls, broker.User));
        Assert.Equal(8883, SimOptions.Parse(["--broker", "mqtts://b"]).Broker!.Port);
        Assert.DoesNotContain("p", broker.ToString().Split("://")[1], StringComparison.Ordinal);
    }

    private static (SimMode, double) Mode(params string[] args)
    {
        SimOptions o = SimOptions.Parse(args);
        return (o.Mode, o.Speed);
    }
}

/// <summary>The simulator's tests run one after the other: each keeps the two cores busy for a few seconds.</summary>
[CollectionDefinition(Name)]
public sealed class SimulatorCollection
{
    public const string Name = "Simulator";
}
