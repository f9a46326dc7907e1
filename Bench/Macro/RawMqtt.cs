using System.Diagnostics;
using ChargerFirmware.Protocol.Messages;

namespace ChargerFirmware.Bench.Macro;

/// <summary>
/// The reference for dispatch latency: two plain MQTT clients on the same broker at QoS 1, with
/// payloads the size of a dispatch and its ack. One hop: publish → the other client receives. Echo:
/// the other client publishes back at once → received (the two broker hops a dispatch and its ack make).
/// </summary>
public static class RawMqtt
{
    /// <summary>Raw MQTT between two plain clients at QoS 1, paced like the dispatches.</summary>
    public static (Percentiles Hop, Percentiles Echo) Measure(int port, int count, int pacingMs)
    {
        byte[] ping = Wire.Encode(new DispatchMessage { Id = "raw-000000", Seq = 1, IssuedAtMs = 1_798_761_600_000, DurationS = 3600, SetpointW = -3000 });
        byte[] pong = Wire.Encode(new DispatchAckMessage { Id = "raw-000000", Status = DispatchStatus.Active, AppliedW = -3000, AtMs = 1_798_761_600_000 });
        long hopAt = 0;
        using var received = new SemaphoreSlim(0);
        AggregatorClient? echoer = null;
        using var sender = new AggregatorClient(port, "bench-raw-sender", (_, _, at) => received.Release());
        echoer = new AggregatorClient(port, "bench-raw-echo", (_, _, at) =>
        {
            Volatile.Write(ref hopAt, at);
            echoer!.PublishAsync("bench/raw/pong", pong);
        });
        using (echoer)
        {
            echoer.Subscribe("bench/raw/ping");
            sender.Subscribe("bench/raw/pong");
            var hops = new List<double>(count);
            var echoes = new List<double>(count);
            var pace = new Random(11);
            for (int i = -20; i < count; i++)
            {
                Thread.Sleep(pace.Next(pacingMs));
                long start = Stopwatch.GetTimestamp();
                sender.Publish("bench/raw/ping", ping);
                if (!received.Wait(TimeSpan.FromSeconds(5)))
                {
                    throw new TimeoutException("raw MQTT echo did not come back within 5 s");
                }

                long end = Stopwatch.GetTimestamp();
                if (i >= 0)
                {
                    hops.Add(Percentiles.MsSince(start, Volatile.Read(ref hopAt)));
                    echoes.Add(Percentiles.MsSince(start, end));
                }
            }

            return (new Percentiles(hops), new Percentiles(echoes));
        }
    }
}
