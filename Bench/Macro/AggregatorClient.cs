using System.Buffers;
using System.Diagnostics;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace ChargerFirmware.Bench.Macro;

/// <summary>
/// The aggregator's side of the macro benches (and the raw MQTT probes): an MQTTnet client that
/// stamps every message with a Stopwatch timestamp the moment it arrives and hands it on.
/// </summary>
public sealed class AggregatorClient : IDisposable
{
    private readonly IMqttClient _client;

    /// <summary>Connects to the broker on loopback <paramref name="port"/> with a clean session.</summary>
    public AggregatorClient(int port, string clientId, Action<string, byte[], long> onMessage)
    {
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += e =>
        {
            long at = Stopwatch.GetTimestamp();
            onMessage(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray(), at);
            return Task.CompletedTask;
        };
        MqttClientOptions options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId(clientId)
            .WithProtocolVersion(MqttProtocolVersion.V311)
            .WithCleanSession(true)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .Build();
        if (!_client.ConnectAsync(options).Wait(TimeSpan.FromSeconds(10)))
        {
            throw new TimeoutException($"{clientId} could not connect to the broker");
        }
    }

    public void Subscribe(string filter)
    {
        var subscription = new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build();
        if (!_client.SubscribeAsync(subscription).Wait(TimeSpan.FromSeconds(10)))
        {
            throw new TimeoutException("subscription to " + filter + " timed out");
        }
    }

    /// <summary>Publishes at QoS 1 (as dispatches and acks go) and returns when the broker acknowledged it.</summary>
    public Task PublishAsync(string topic, byte[] payload)
    {
        MqttApplicationMessage message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        return _client.PublishAsync(message);
    }

    public void Publish(string topic, byte[] payload)
    {
        if (!PublishAsync(topic, payload).Wait(TimeSpan.FromSeconds(10)))
        {
            throw new TimeoutException("publish to " + topic + " timed out");
        }
    }

    public void Dispose() => _client.Dispose();
}
