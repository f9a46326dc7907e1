#pragma warning disable CS1591
namespace ChargerFirmware.Simulator.Runs;

public static class InteractiveRun
{
    public static Task<int> RunAsync(SimOptions options, TextReader input, TextWriter output, bool live, CancellationToken cancel) => Task.FromResult(1);
}
