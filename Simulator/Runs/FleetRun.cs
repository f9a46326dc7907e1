#pragma warning disable CS1591
namespace ChargerFirmware.Simulator.Runs;

public sealed record FleetReport(bool Success);

public static class FleetRun
{
    public static Task<FleetReport> RunAsync(SimOptions options, TextWriter output, CancellationToken cancel) => Task.FromResult(new FleetReport(false));

    public static void Print(FleetReport r, TextWriter o)
    {
    }
}
