using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Xunit;

namespace ChargerFirmware.Tests.Link;

/// <summary>
/// The aggregator's side in the integration tests: an MQTTnet client that records every message
/// under one charger's prefix and publishes dispatches, prices, answers and acks to it.
/// </summary>
public sealed class TestAggregator : IDisposable
{
    public sealed record Received(string Topic, string Payload, bool Retained)
    {
        public JsonElement Json => JsonDocument.Parse(Payload).RootElement;

        public string? Get(string name) => Json.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null ? value.ToString() : null;
    }

    private readonly List<Received> _received = new();
    private readonly int _port;
    private readonly string _root;
    private IMqttClient _client;

    public TestAggregator(int port, string root)
    {
        _port = port;
        _root = root;
        _client = Connect();
    }

    /// <summary>How many messages arrived so far: pass it to <see cref="WaitFor"/> to look only at later ones.</summary>
    public int Mark
    {
        get
        {
            lock (_received)
            {
                return _received.Count;
            }
        }
    }

    public List<Received> All(string suffix, int from = 0)
    {
        lock (_received)
        {
            return _received.Skip(from).Where(r => r.Topic == _root + "/" + suffix).ToList();
        }
    }

    /// <summary>Connects again (after the broker restarted) with a fresh session and subscription.</summary>
    public void Reconnect()
    {
        _client.Dispose();
        _client = Connect();
    }

    public void Publish(string suffix, string payload, bool retain = false)
    {
        MqttApplicationMessage message = new MqttApplicationMessageBuilder()
            .WithTopic(_root + "/" + suffix)
            .WithPayload(Encoding.UTF8.GetBytes(payload))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build();
        _client.PublishAsync(message).Wait(5000);
    }

    /// <summary>
    /// The first message on <paramref name="suffix"/> since <paramref name="from"/> that
    /// <paramref name="match"/> accepts; <paramref name="pump"/> runs between looks (it steps the
    /// charger's clock). Fails after <paramref name="timeoutMs"/> of real time.
    /// </summary>
    public Received WaitFor(string suffix, Func<Received, bool> match, Action pump, int from = 0, int timeoutMs = 10_000)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            Received? found = All(suffix, from).FirstOrDefault(match);
            if (found != null)
            {
                return found;
            }

            if (watch.ElapsedMilliseconds > timeoutMs)
            {
                string seen = string.Join("\n", All(suffix, from).Select(r => r.Payload));
                Assert.Fail($"no matching message on {suffix} within {timeoutMs} ms; seen:\n{seen}");
            }

            pump();
            Thread.Sleep(2);
        }
    }

    public void Dispose() => _client.Dispose();

    private IMqttClient Connect()
    {
        IMqttClient client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            var received = new Received(e.ApplicationMessage.Topic, Encoding.UTF8.GetString(e.ApplicationMessage.Payload.ToArray()), e.ApplicationMessage.Retain);
            lock (_received)
            {
                _received.Add(received);
            }

            return Task.CompletedTask;
        };
        MqttClientOptions options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", _port)
            .WithClientId("aggregator-" + Guid.NewGuid().ToString("N"))
            .WithProtocolVersion(MqttProtocolVersion.V311)
            .WithCleanSession(true)
            .Build();
        Assert.True(client.ConnectAsync(options).Wait(5000), "the test aggregator could not connect");
        var subscription = new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(_root + "/#", MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        Assert.True(client.SubscribeAsync(subscription).Wait(5000), "the test aggregator could not subscribe");
        return client;
    }
}
