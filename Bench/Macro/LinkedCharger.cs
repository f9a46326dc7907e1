using ChargerFirmware.Bench.Rig;
using ChargerFirmware.Drivers;
using ChargerFirmware.Link;
using ChargerFirmware.Protocol;
using ChargerFirmware.Protocol.Messages;
using ChargerFirmware.VirtualHardware.Mqtt;

namespace ChargerFirmware.Bench.Macro;

/// <summary>
/// A bench charger on real time with its aggregator link over the MQTTnet transport, as the host
/// composes the firmware: the control loop and the link either run on their own threads
/// (<see cref="Start"/>) or are stepped by a scheduler (<see cref="Step"/>). The setpoint ramp is the
/// contract's fastest (200 kW/s), so a dispatch's setpoint is reached in the tick that applies it.
/// </summary>
public sealed class LinkedCharger : IDisposable
{
    public LinkedCharger(IClock clock, int brokerPort, string chargerId, int tickMs)
    {
        Transport = new MqttNetTransport { Timeout = TimeSpan.FromSeconds(10) };
        Charger = new BenchCharger(new BenchParts(clock) { Transport = Transport }, c =>
        {
            c.ChargerId = chargerId;
            c.BrokerPort = brokerPort;
            c.TickMs = tickMs;
            c.RampWps = Limits.MaxRampWps;
            c.ReconnectMinMs = 200;
            c.ReconnectMaxMs = 2000;
        });
        Link = Charger.App.Link;
        Link.IdleMs = tickMs;
    }

    public BenchCharger Charger { get; }

    public MqttNetTransport Transport { get; }

    public AggregatorLink Link { get; }

    public string DispatchTopic => Link.Topics.ForKind(MessageKind.Dispatch)!;

    /// <summary>Runs the control loop and the link each on a thread of its own, as on the device.</summary>
    public void Start()
    {
        Charger.Loop.Start();
        Link.Start();
    }

    /// <summary>One control tick and one link round on the caller's thread (a fleet scheduler).</summary>
    public void Step()
    {
        Charger.Loop.RunOnce();
        Link.Step(Charger.Parts.Clock.MonotonicMs);
    }

    public void Dispose()
    {
        Link.Stop();
        Charger.Loop.Stop();
        Transport.Dispose();
    }
}
