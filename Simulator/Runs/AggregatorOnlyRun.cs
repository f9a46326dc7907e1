using ChargerFirmware.Aggregator.Ingest;
using ChargerFirmware.Simulator.Aggregator;
using ChargerFirmware.Simulator.Mqtt;

namespace ChargerFirmware.Simulator.Runs;

/// <summary>
/// The reference aggregator alone: on the given broker (or an embedded one that chargers in other
/// processes join with --broker), it sets prices for every charger that comes online, runs the
/// demo's dispatches against each and reports what they publish, until --duration or Ctrl-C.
/// </summary>
public static class AggregatorOnlyRun
{
    /// <summary>Runs the aggregator; returns the exit code.</summary>
    public static async Task<int> RunAsync(SimOptions options, TextWriter output, CancellationToken cancel)
    {
        void Log(string line)
        {
            lock (output)
            {
                output.WriteLine(line);
            }
        }

        EmbeddedBroker? embedded = options.Broker is null ? await EmbeddedBroker.StartAsync(options.Port).ConfigureAwait(false) : null;
        try
        {
            BrokerEndpoint broker = options.Broker ?? new BrokerEndpoint(EmbeddedBroker.Host, embedded!.Port);
            var clock = new ClockFollower(options.Speed);
            await using var aggregator = new ReferenceAggregator(broker, clock.NowMs, Log) { StatusTimeSeen = clock.Observe };
            await aggregator.StartAsync(cancel).ConfigureAwait(false);
            Log($"aggregator | on {broker}{(embedded is null ? "" : " (embedded broker: start chargers with --broker " + broker + ")")}, following the chargers' clocks at x{options.Speed:0.##}");
            var scenario = new DemoScenario();
            DateTime until = options.Duration is { } d ? DateTime.UtcNow + d : DateTime.MaxValue;
            while (DateTime.UtcNow < until && !cancel.IsCancellationRequested)
            {
                await scenario.StepAsync(aggregator).ConfigureAwait(false);
                await Task.Delay(50, cancel).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            }

            Log($"aggregator | {aggregator.Chargers.Count} chargers seen, {scenario.Finished} finished the demo's dispatches");
            return SimulatorProgram.Ok;
        }
        finally
        {
            if (embedded is not null)
            {
                await embedded.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
