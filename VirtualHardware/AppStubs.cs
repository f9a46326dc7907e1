using ChargerFirmware.Config;
using ChargerFirmware.Drivers.Panel;
using ChargerFirmware.Drivers.Serial;
using ChargerFirmware.Link;

namespace ChargerFirmware.VirtualHardware;

/// <summary>An MQTT client with no broker: every connection attempt fails (the link backs off and retries).</summary>
public sealed class OfflineTransport : IMqttTransport
{
    /// <inheritdoc />
    public bool IsConnected => false;

    /// <inheritdoc />
    public string LastError => "offline (no broker)";

    /// <inheritdoc />
    public IMqttReceiver? Receiver { get; set; }

    /// <inheritdoc />
    public bool Connect(MqttConnectOptions options) => false;

    /// <inheritdoc />
    public void Disconnect()
    {
    }

    /// <inheritdoc />
    public bool Subscribe(string topic, int qos) => false;

    /// <inheritdoc />
    public bool Publish(string topic, byte[] payload, int length, int qos, bool retain) => false;

    /// <inheritdoc />
    public bool Probe() => false;
}

/// <summary>A console line nobody types on: reads return nothing, writes are dropped.</summary>
public sealed class IdleConsoleLine : IByteStream
{
    /// <inheritdoc />
    public int Read(byte[] buffer, int offset, int count, int timeoutMs) => 0;

    /// <inheritdoc />
    public void Write(byte[] buffer, int offset, int count)
    {
    }
}

/// <summary>A text panel (40 × 13 cells) that shows nothing and is never touched.</summary>
public sealed class BlankPanel : ITextPanel
{
    /// <inheritdoc />
    public int Columns => 40;

    /// <inheritdoc />
    public int Rows => 13;

    /// <inheritdoc />
    public void Show(PanelFrame frame)
    {
    }

    /// <inheritdoc />
    public int ReadButton(ICellButtons buttons) => TouchButtonTracker.NoButton;
}

/// <summary>Host settings over the loaded configuration, given as a delegate.</summary>
public sealed class ConfigOverride(Action<ChargerConfig> apply) : IConfigOverride
{
    /// <inheritdoc />
    public void Apply(ChargerConfig config) => apply(config);
}
