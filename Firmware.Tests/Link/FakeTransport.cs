using System.Text;
using ChargerFirmware.Link;

namespace ChargerFirmware.Tests.Link;

/// <summary>
/// An MQTT transport that records what the link does and lets the test play the broker: one that
/// answers (every CONNACK, SUBACK, PUBACK and PINGRESP is a proof of life), one that is frozen
/// (<see cref="Answers"/> false: sends still leave, nothing comes back), and either client style
/// for QoS 1 (waiting for the PUBACK like MQTTnet, or returning at once like M2Mqtt, <see cref="AcksLater"/>).
/// </summary>
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

    /// <summary>False: the broker is frozen (connects time out, QoS 1 publishes and probes get no answer).</summary>
    public bool Answers { get; set; } = true;

    /// <summary>True: a QoS 1 publish returns at once and its PUBACK comes later (<see cref="AnswerPending"/>), as with M2Mqtt.</summary>
    public bool AcksLater { get; set; }

    /// <summary>Probes sent.</summary>
    public int Probes { get; private set; }

    /// <summary>Requests sent that still wait for the broker's answer (with <see cref="AcksLater"/> or a frozen broker).</summary>
    public int Unanswered { get; private set; }

    public bool IsConnected { get; private set; }

    public string LastError { get; private set; } = string.Empty;

    public IMqttReceiver? Receiver { get; set; }

    public bool Connect(MqttConnectOptions o)
    {
        Connections.Add(new Connection(o.Host, o.Port, o.ClientId, o.UserName, o.Password, o.UseTls, o.WillTopic, o.WillPayload));
        bool connected = Accepts && Answers;
        IsConnected = connected;
        LastError = connected ? string.Empty : (Accepts ? "no CONNACK (timeout)" : Error);
        if (connected)
        {
            Receiver?.OnProof();
        }

        return connected;
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
        Answer();
        return true;
    }

    public bool Publish(string topic, byte[] payload, int length, int qos, bool retain)
    {
        if (!IsConnected || PublishFails(topic))
        {
            LastError = Error;
            return false;
        }

        if (qos > 0 && !Answers && !AcksLater)
        {
            LastError = "no PUBACK (timeout)";
            return false;
        }

        Published.Add(new Publication(topic, Encoding.UTF8.GetString(payload, 0, length), qos, retain));
        if (qos > 0)
        {
            if (AcksLater)
            {
                Unanswered++;
            }
            else
            {
                Answer();
            }
        }

        return true;
    }

    public bool Probe()
    {
        if (!IsConnected)
        {
            return false;
        }

        Probes++;
        Answer();
        return true;
    }

    /// <summary>The broker answers everything still waiting (a late PUBACK), if it answers at all.</summary>
    public void AnswerPending()
    {
        if (Answers && Unanswered > 0)
        {
            Unanswered = 0;
            Receiver?.OnProof();
        }
    }

    /// <summary>The client gave up on a QoS 1 message after its retries.</summary>
    public void FailDelivery() => Receiver?.OnDeliveryFailed();

    private void Answer()
    {
        if (Answers)
        {
            Receiver?.OnProof();
        }
        else
        {
            Unanswered++;
        }
    }

    /// <summary>The broker went away and the client noticed.</summary>
    public void Drop()
    {
        IsConnected = false;
        Receiver?.OnConnectionLost();
    }

    /// <summary>The connection died without the client's callback (only IsConnected tells).</summary>
    public void DropSilently() => IsConnected = false;

    public void Deliver(string topic, string payload)
    {
        Receiver!.OnProof();
        Receiver.OnMessage(topic, Encoding.UTF8.GetBytes(payload));
    }

    public List<Publication> On(string topic) => Published.Where(p => p.Topic == topic).ToList();
}
