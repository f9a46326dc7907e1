using System.Text;
using ChargerFirmware.Link;

namespace ChargerFirmware.Tests.Link;

/// <summary>An MQTT transport that records what the link does and lets the test play the broker.</summary>
public sealed class FakeTransport : IMqttTransport
{
    public sealed record Publication(string Topic, string Payload, int Qos, bool Retain);

    public sealed record Connection(string Host, int Port, string ClientId, string? UserName, string? Password, bool UseTls, string WillTopic, string WillPayload);

    public List<Publication> Published { get; } = new();
    public List<(string Topic, int Qos)> Subscriptions { get; } = new();
    public List<Connection> Connections { get; } = new();
    public int Disconnects { get; private set; }

    /// <summary>False: every connection attempt fails with <see cref="Error"/>.</summary>
    public bool Accepts { get; set; } = true;

    /// <summary>Publications to a topic for which this returns true fail.</summary>
    public Func<string, bool> PublishFails { get; set; } = _ => false;

    public string Error { get; set; } = "connection refused";

    public bool IsConnected { get; private set; }

    public string LastError { get; private set; } = string.Empty;

    public IMqttReceiver? Receiver { get; set; }

    public bool Connect(MqttConnectOptions o)
    {
        Connections.Add(new Connection(o.Host, o.Port, o.ClientId, o.UserName, o.Password, o.UseTls, o.WillTopic, o.WillPayload));
        IsConnected = Accepts;
        LastError = Accepts ? string.Empty : Error;
        return Accepts;
    }

    public void Disconnect()
    {
        Disconnects++;
        IsConnected = false;
    }

    public bool Subscribe(string topic, int qos)
    {
        if (!IsConnected)
        {
            return false;
        }

        Subscriptions.Add((topic, qos));
        return true;
    }

    public bool Publish(string topic, byte[] payload, int length, int qos, bool retain)
    {
        if (!IsConnected || PublishFails(topic))
        {
            LastError = Error;
            return false;
        }

        Published.Add(new Publication(topic, Encoding.UTF8.GetString(payload, 0, length), qos, retain));
        return true;
    }

    /// <summary>The broker went away and the client noticed.</summary>
    public void Drop()
    {
        IsConnected = false;
        Receiver?.OnConnectionLost();
    }

    /// <summary>The connection died without the client's callback (only IsConnected tells).</summary>
    public void DropSilently() => IsConnected = false;

    public void Deliver(string topic, string payload) => Receiver!.OnMessage(topic, Encoding.UTF8.GetBytes(payload));

    public List<Publication> On(string topic) => Published.Where(p => p.Topic == topic).ToList();
}
