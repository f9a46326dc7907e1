using ChargerFirmware.Drivers.Panel;
using ChargerFirmware.Drivers.Serial;
using ChargerFirmware.Link;

namespace ChargerFirmware.Bench.Rig;

/// <summary>An MQTT client with no broker: every connection attempt fails (the link backs off and retries).</summary>
public sealed class OfflineTransport : IMqttTransport
{
    public bool IsConnected => false;

    public string LastError => "offline (bench)";

    public IMqttReceiver? Receiver { get; set; }

    public bool Connect(MqttConnectOptions options) => false;

    public void Disconnect()
    {
    }

    public bool Subscribe(string topic, int qos) => false;

    public bool Publish(string topic, byte[] payload, int length, int qos, bool retain) => false;
}

/// <summary>A console line nobody types on: reads return nothing, writes are dropped.</summary>
public sealed class IdleConsoleLine : IByteStream
{
    public int Read(byte[] buffer, int offset, int count, int timeoutMs) => 0;

    public void Write(byte[] buffer, int offset, int count)
    {
    }
}

/// <summary>A text panel (40 × 13 cells) that shows nothing and is never touched.</summary>
public sealed class BlankPanel : ITextPanel
{
    public int Columns => 40;

    public int Rows => 13;

    public void Show(PanelFrame frame)
    {
    }

    public int ReadButton(ICellButtons buttons) => TouchButtonTracker.NoButton;
}
