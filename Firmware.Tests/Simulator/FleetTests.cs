using ChargerFirmware.Simulator;
using ChargerFirmware.Simulator.Runs;
using Xunit;

namespace ChargerFirmware.Tests.Simulator;

/// <summary>Many chargers in one process, each with its own MQTT connection, against the aggregator's server: one down-DR planned, delivered and settled.</summary>
[Collection(SimulatorCollection.Name)]
public class FleetTests
{
    [Fact]
    public async Task Fifty_chargers_share_and_the_planner_delivers_a_down_response_with_every_ledger_record_stored_once()
    {
        SimOptions options = SimOptions.Parse(["--chargers", "50", "--id", "fleet", "--speed", "10", "--dr-kw", "100", "--dr-minutes", "2", "--duration", "1"]);
        using var output = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));

        FleetReport report = await FleetRun.RunAsync(options, output, timeout.Token);

        Assert.True(report.Success, output.ToString());
        Assert.Equal(50, report.Consented);
        Assert.True(report.Orders.GetValueOrDefault("completed") > 0, string.Join(", ", report.Orders) + Environment.NewLine + output);
        Assert.Equal(report.LedgerHeld, report.LedgerStored);
        Assert.InRange(report.DeliveredPct, 80, 110);
        Assert.True(report.PriceMilli >= 25_000, $"the balanced pattern sells at 25 or more; the planner offered {report.PriceMilli}");
    }
}
