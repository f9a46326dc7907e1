using System.Buffers;
using System.Collections.Concurrent;
using ChargerFirmware.Aggregator.Ingest;
using ChargerFirmware.Protocol;
using ChargerFirmware.Protocol.Messages;
using MQTTnet;
using MQTTnet.Protocol;

namespace ChargerFirmware.Aggregator.Tests.Support;

/// <summary>
/// A charger's MQTT side as the contract describes it (MQTT 3.1.1, its id as client id, the Last
/// Will, QoS 1), scripted by the test: it publishes what the test says and records what the
/// aggregator and the phone relay send it (ledger acks, dispatches, consent answers).
/// </summary>
public sealed class FakeCharger : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly Topics _topics;
    private readonly MessageCodec _codec;
    private long _ackedUpTo;

    private FakeCharger(string id)
    {
        Id = id;
        _topics = Wire.TopicsOf(id);
        _codec = new MessageCodec(id);
        _client.ApplicationMessageReceivedAsync += e =>
        {
            byte[] payload = e.ApplicationMessage.Payload.ToArray();
            int kind = _topics.Classify(e.ApplicationMessage.Topic);
            Received.Enqueue((kind, payload));
            if (kind == MessageKind.LedgerAck)
            {
                var ack = new LedgerAckMessage();
                if (Wire.TryDecode(payload, ack, out _))
                {
                    long seen;
                    while ((seen = Interlocked.Read(ref _ackedUpTo)) < ack.UpTo && Interlocked.CompareExchange(ref _ackedUpTo, ack.UpTo, seen) != seen)
                    {
                    }
                }
            }

            return Task.CompletedTask;
        };
    }

    /// <summary>The charger id.</summary>
    public string Id { get; }

    /// <summary>Everything received, by <see cref="MessageKind"/>, in order.</summary>
    public ConcurrentQueue<(int Kind, byte[] Payload)> Received { get; } = new();

    /// <summary>The highest ledger ack received.</summary>
    public long AckedUpTo => Interlocked.Read(ref _ackedUpTo);

    /// <summary>
    /// Connects to the broker at 127.0.0.1:<paramref name="port"/> (as <paramref name="password"/>'s
    /// user, its id, when given), subscribes to everything a charger reads and says it is online.
    /// </summary>
    public static async Task<FakeCharger> ConnectAsync(string id, int port, string? password = null)
    {
        var charger = new FakeCharger(id);
        MqttClientOptionsBuilder options = new MqttClientOptionsBuilder();
        if (password is not null)
        {
            options.WithCredentials(id, password);
        }

        await charger._client.ConnectAsync(options
            .WithTcpServer("127.0.0.1", port)
            .WithClientId(id)
            .WithCleanSession(true)
            .WithWillTopic(charger._topics.Availability)
            .WithWillPayload("offline"u8.ToArray())
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        MqttClientSubscribeOptionsBuilder subscribe = new MqttClientFactory().CreateSubscribeOptionsBuilder();
        for (int kind = 1; kind < MessageKind.Count; kind++)
        {
            if (MessageKind.IsIncoming(kind))
            {
                subscribe.WithTopicFilter(charger._topics.ForKind(kind), MqttQualityOfServiceLevel.AtLeastOnce);
            }
        }

        await charger._client.SubscribeAsync(subscribe.Build());
        await charger.PublishRawAsync(charger._topics.Availability, "online"u8.ToArray(), retain: true);
        return charger;
    }

    /// <summary>Publishes <paramref name="message"/> on its topic (QoS and retain as the contract says).</summary>
    public Task PublishAsync(Message message) =>
        PublishRawAsync(_topics.ForKind(message.Kind)!, Wire.Encode(message), MessageKind.Retain(message.Kind));

    /// <summary>Publishes raw bytes.</summary>
    public async Task PublishRawAsync(string topic, byte[] payload, bool retain = false) =>
        await _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag(retain).Build());

    /// <summary>The messages of <paramref name="kind"/> received so far, decoded.</summary>
    public List<T> Of<T>(int kind) where T : Message, new() =>
        [.. Received.Where(r => r.Kind == kind).Select(r =>
        {
            var m = new T();
            lock (_codec)
            {
                // The charger's own codec: a dispatch for another charger is refused (wrong-charger).
                return _codec.TryDecode(r.Payload, r.Payload.Length, m, out string? reason) ? m : throw new InvalidOperationException($"the server sent a message the contract refuses: {reason}");
            }
        })];

    /// <summary>Waits until <paramref name="condition"/> holds; false after <paramref name="timeout"/>.</summary>
    public static async Task<bool> Until(Func<bool> condition, TimeSpan timeout)
    {
        DateTime end = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > end)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
    }
}
