#pragma warning disable CS1591
namespace ChargerFirmware.Simulator.Runs;

public static class AggregatorOnlyRun
{
    public static Task<int> RunAsync(SimOptions options, TextWriter output, CancellationToken cancel) => Task.FromResult(1);
}
