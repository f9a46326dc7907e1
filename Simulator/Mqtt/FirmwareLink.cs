using ChargerFirmware.Link;
using ChargerFirmware.Simulator.Hardware;
using ChargerFirmware.VirtualHardware.Mqtt;

namespace ChargerFirmware.Simulator.Mqtt;

/// <summary>
/// A simulated charger's link: the firmware's own <see cref="AggregatorLink"/> as its
/// <see cref="ChargerFirmware.App.ChargerApp"/> composed it (connect with the Last Will,
/// availability, subscriptions, decoding into the inbox, outbox notices, status, telemetry, ledger
/// store-and-forward, the broker's proof of life, reconnect with backoff) over the host's MQTTnet
/// transport, on the charger's simulated clock. Stepped by the link pump rather than by a thread of its own.
/// </summary>
public sealed class FirmwareLink : IChargerLink
{
    private readonly AggregatorLink _link;
    private readonly MqttNetTransport _transport;
    private readonly ChargerFirmware.App.ChargerApp _app;

    private FirmwareLink(SimulatedCharger charger, BrokerEndpoint broker)
    {
        _app = charger.App;
        _transport = charger.Transport;
        _link = charger.App.Link;
        _link.ConnectOptions.CaCertificatePem = broker.CaPem;
    }

    /// <summary>The firmware's link (its status, counters).</summary>
    public AggregatorLink Link => _link;

    /// <inheritdoc />
    public bool Online => _link.Status.Connected;

    /// <summary>The link for <paramref name="charger"/> on <paramref name="broker"/> (broker settings are in the charger's configuration).</summary>
    public static IChargerLink Create(SimulatedCharger charger, BrokerEndpoint broker) => new FirmwareLink(charger, broker);

    /// <summary>One round of the link, then the app's housekeeping (the event log to flash), both off the control loop as on the device.</summary>
    public void Step(long nowMs)
    {
        _link.Step(nowMs);
        _app.Housekeep();
    }

    /// <inheritdoc />
    public void Shutdown()
    {
        _link.Stop();
        _transport.Dispose();
    }
}
