using ChargerFirmware.Simulator;
using ChargerFirmware.Simulator.Runs;
using Xunit;

namespace ChargerFirmware.Tests.Simulator;

/// <summary>Many chargers in one process, each with its own MQTT connection, all online and answering one dispatch.</summary>
[Collection(SimulatorCollection.Name)]
public class FleetTests
{
    [Fact]
    public async Task Fifty_chargers_come_online_and_every_one_answers_the_dispatch()
    {
        SimOptions options = SimOptions.Parse(["--chargers", "50", "--id", "fleet", "--speed", "10", "--duration", "1"]);
        using var output = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));

        FleetReport report = await FleetRun.RunAsync(options, output, timeout.Token);

        Assert.True(report.Success, output.ToString());
        Assert.Equal(50, report.Chargers);
        Assert.Equal(50, report.Answered);
        Assert.Equal(50, report.AnswerMs.Count);
        Assert.True(report.Answers.GetValueOrDefault("accepted") > 0, string.Join(", ", report.Answers));
        Assert.All(report.Answers.Keys, k => Assert.True(k == "accepted" || k.StartsWith("rejected ", StringComparison.Ordinal), k));
    }
}
