using ChargerFirmware.Simulator.Runs;

namespace ChargerFirmware.Simulator;

/// <summary>The simulator's entry point, callable in-process (the tests run it headless).</summary>
public static class SimulatorProgram
{
    /// <summary>Exit code: the story happened / the run went as asked.</summary>
    public const int Ok = 0;

    /// <summary>Exit code: the run failed (the demo's story did not happen, chargers did not come online…).</summary>
    public const int Failed = 1;

    /// <summary>Exit code: a bad command line.</summary>
    public const int BadUsage = 2;

    /// <summary>
    /// Runs the simulator with <paramref name="args"/>, reading commands from <paramref name="input"/>
    /// and writing to <paramref name="output"/> (redrawing in place when <paramref name="live"/>).
    /// </summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextReader input, TextWriter output, TextWriter error, bool live, CancellationToken cancel)
    {
        SimOptions options;
        try
        {
            options = SimOptions.Parse(args);
        }
        catch (UsageException e)
        {
            error.WriteLine("error: " + e.Message);
            error.WriteLine();
            error.WriteLine(SimOptions.Usage);
            return BadUsage;
        }

        if (options.Help)
        {
            output.WriteLine(SimOptions.Usage);
            return Ok;
        }

        try
        {
            switch (options.Mode)
            {
                case SimMode.Demo:
                    DemoReport report = await DemoRun.RunAsync(options, output, live, cancel).ConfigureAwait(false);
                    DemoRun.Print(report, output);
                    if (!report.Success)
                    {
                        error.WriteLine("demo failed: " + string.Join("; ", report.Failures));
                    }

                    return report.Success ? Ok : Failed;
                case SimMode.Interactive:
                    return await InteractiveRun.RunAsync(options, input, output, live, cancel).ConfigureAwait(false);
                case SimMode.Fleet:
                    FleetReport fleet = await FleetRun.RunAsync(options, output, cancel).ConfigureAwait(false);
                    FleetRun.Print(fleet, output);
                    return fleet.Success ? Ok : Failed;
                default:
                    return await AggregatorOnlyRun.RunAsync(options, output, cancel).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            output.WriteLine("stopped");
            return Ok;
        }
        catch (Exception e) when (e is IOException or MQTTnet.Exceptions.MqttCommunicationException or System.Net.Sockets.SocketException or UnauthorizedAccessException)
        {
            error.WriteLine("error: " + e.Message);
            return Failed;
        }
    }
}
