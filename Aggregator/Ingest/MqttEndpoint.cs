using System.Buffers;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace ChargerFirmware.Aggregator.Ingest;

/// <summary>A message a charger published, as one server instance received it.</summary>
/// <param name="Topic">The full topic.</param>
/// <param name="ChargerId">The charger id (second topic level).</param>
/// <param name="Kind">Its <see cref="Protocol.MessageKind"/>.</param>
/// <param name="Payload">The payload bytes.</param>
public sealed record Incoming(string Topic, string ChargerId, int Kind, byte[] Payload);

/// <summary>
/// One MQTT 5 connection of the server under one identity. It subscribes to charger topics, with a
/// shared subscription (<c>$share/{group}/…</c>) when a group is set so that the instances split the
/// traffic, and hands what arrives to a few worker threads: every message of one charger goes to the
/// same worker, in order. A worker takes what is waiting (up to a batch), lets the handler store it
/// in one transaction, and only after the commit acknowledges each message to the broker (PUBACK):
/// a crash before the commit makes the broker deliver again, so handlers store idempotently.
/// Alone (no share group) the session is persistent (a stable client id, ten minutes' expiry), so a
/// restart gets what was sent meanwhile. In a share group it is not: a broker keeps routing shared
/// messages to a member's persistent session while that member is down, so a dead instance would
/// swallow its share for the whole expiry; without a session the others get everything at once,
/// and what was in flight to the dead instance is what the chargers resend (the ledger, until
/// acknowledged) or what the planner recovers (an unanswered order is cancelled and re-planned).
/// Reconnects by itself, forever.
/// </summary>
public sealed class MqttEndpoint : IAsyncDisposable
{
    private const int BatchLimit = 64;
    private readonly MqttSettings _settings;
    private readonly string _clientId;
    private readonly string? _user;
    private readonly string? _password;
    private readonly string[] _filters;
    private readonly string[] _retainedFilters;
    private readonly Func<IReadOnlyList<Incoming>, Task>? _handler;
    private readonly Action<string> _log;
    private readonly IMqttClient _client;
    private readonly Channel<(Incoming Message, MqttApplicationMessageReceivedEventArgs Args)>[] _queues;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _workers = [];
    private Task? _connector;

    /// <summary>
    /// An endpoint with client id <paramref name="clientId"/> under <paramref name="user"/>, that
    /// subscribes to <c>chargers/+/{level}</c> for each of <paramref name="levels"/> and hands what
    /// arrives to <paramref name="handler"/> (null: publish only). <paramref name="retainedLevels"/>
    /// are also read once without sharing at each connect, because a shared subscription receives
    /// no retained messages (MQTT 5, 4.8.2).
    /// </summary>
    public MqttEndpoint(MqttSettings settings, string clientId, string? user, string? password, IEnumerable<string> levels,
        IEnumerable<string> retainedLevels, Func<IReadOnlyList<Incoming>, Task>? handler, int workers, Action<string> log)
    {
        _settings = settings;
        _clientId = clientId;
        _user = user;
        _password = password;
        _filters = [.. levels.Select(level => Wire.Root + "+/" + level)];
        _retainedFilters = settings.ShareGroup is null ? [] : [.. retainedLevels.Select(level => Wire.Root + "+/" + level)];
        _handler = handler;
        _log = log;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnReceivedAsync;
        _queues = [.. Enumerable.Range(0, Math.Max(1, workers)).Select(_ => Channel.CreateUnbounded<(Incoming, MqttApplicationMessageReceivedEventArgs)>())];
    }

    /// <summary>True while connected.</summary>
    public bool Connected => _client.IsConnected;

    /// <summary>Messages handled (committed and acknowledged) so far.</summary>
    public long Handled => Interlocked.Read(ref _handled);

    private long _handled;

    /// <summary>Connects (waits for the first connection up to <paramref name="timeout"/>) and keeps reconnecting in the background.</summary>
    public async Task StartAsync(TimeSpan timeout)
    {
        foreach (Channel<(Incoming, MqttApplicationMessageReceivedEventArgs)> queue in _queues)
        {
            _workers.Add(Task.Factory.StartNew(() => WorkAsync(queue.Reader), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap());
        }

        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _connector = Task.Run(() => KeepConnectedAsync(first));
        Task done = await Task.WhenAny(first.Task, Task.Delay(timeout)).ConfigureAwait(false);
        if (done != first.Task)
        {
            throw new TimeoutException($"no MQTT connection to {_settings} as {_clientId} within {timeout.TotalSeconds:0} s");
        }
    }

    /// <summary>Publishes QoS 1 (retained when asked); false when not connected or the broker refused it.</summary>
    public async Task<bool> PublishAsync(string topic, byte[] payload, bool retain = false)
    {
        if (!_client.IsConnected)
        {
            return false;
        }

        try
        {
            MqttApplicationMessage message = new MqttApplicationMessageBuilder()
                .WithTopic(topic)
                .WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .WithRetainFlag(retain)
                .Build();
            MqttClientPublishResult result = await _client.PublishAsync(message, _stop.Token).ConfigureAwait(false);
            if (!result.IsSuccess)
            {
                _log($"mqtt {_clientId}: the broker refused a publish to {topic}: {result.ReasonCode}");
            }

            return result.IsSuccess;
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (Channel<(Incoming, MqttApplicationMessageReceivedEventArgs)> queue in _queues)
        {
            queue.Writer.TryComplete();
        }

        await Task.WhenAll(_workers).ConfigureAwait(false);
        if (_connector is not null)
        {
            await _connector.ConfigureAwait(false);
        }

        if (_client.IsConnected)
        {
            try
            {
                await _client.DisconnectAsync().ConfigureAwait(false);
            }
            catch (MQTTnet.Exceptions.MqttCommunicationException)
            {
                // Already gone.
            }
        }

        _client.Dispose();
        _stop.Dispose();
    }

    private async Task KeepConnectedAsync(TaskCompletionSource first)
    {
        int waitMs = 500;
        while (!_stop.IsCancellationRequested)
        {
            if (!_client.IsConnected)
            {
                try
                {
                    await ConnectAsync().ConfigureAwait(false);
                    waitMs = 500;
                    first.TrySetResult();
                }
                catch (Exception e) when (e is not OperationCanceledException || !_stop.IsCancellationRequested)
                {
                    _log($"mqtt {_clientId}: cannot connect to {_settings}: {e.Message}; retrying in {waitMs} ms");
                    waitMs = Math.Min(30_000, waitMs * 2);
                }
            }

            try
            {
                await Task.Delay(_client.IsConnected ? 250 : waitMs, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ConnectAsync()
    {
        MqttClientOptionsBuilder options = new MqttClientOptionsBuilder()
            .WithTcpServer(_settings.Host, _settings.Port)
            .WithClientId(_clientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(_settings.ShareGroup is not null)
            .WithSessionExpiryInterval(_settings.ShareGroup is null ? 600u : 0u)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (_user is not null)
        {
            options.WithCredentials(_user, _password ?? string.Empty);
        }

        if (_settings.Tls)
        {
            options.WithTlsOptions(tls =>
            {
                tls.UseTls();
                if (_settings.CaFile is not null)
                {
                    X509Certificate2 ca = X509Certificate2.CreateFromPem(File.ReadAllText(_settings.CaFile));
                    tls.WithCertificateValidationHandler(args =>
                    {
                        using var chain = new X509Chain();
                        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                        chain.ChainPolicy.CustomTrustStore.Add(ca);
                        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                        return args.Certificate is not null && chain.Build(new X509Certificate2(args.Certificate));
                    });
                }
            });
        }

        MqttClientConnectResult connected = await _client.ConnectAsync(options.Build(), _stop.Token).ConfigureAwait(false);
        if (connected.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException("the broker refused the connection: " + connected.ResultCode);
        }

        if (_filters.Length == 0 || _handler is null)
        {
            return;
        }

        MqttClientSubscribeOptionsBuilder subscribe = new MqttClientFactory().CreateSubscribeOptionsBuilder();
        foreach (string filter in _filters)
        {
            subscribe.WithTopicFilter(_settings.ShareGroup is null ? filter : $"$share/{_settings.ShareGroup}/{filter}", MqttQualityOfServiceLevel.AtLeastOnce);
        }

        await CheckAsync(await _client.SubscribeAsync(subscribe.Build(), _stop.Token).ConfigureAwait(false)).ConfigureAwait(false);
        if (_retainedFilters.Length > 0)
        {
            await ReadRetainedAsync().ConfigureAwait(false);
        }
    }

    // The retained state (status, availability) once, without sharing: a live message arriving in
    // that second comes twice, which the idempotent handlers absorb.
    private async Task ReadRetainedAsync()
    {
        MqttClientSubscribeOptionsBuilder subscribe = new MqttClientFactory().CreateSubscribeOptionsBuilder();
        MqttClientUnsubscribeOptionsBuilder unsubscribe = new MqttClientFactory().CreateUnsubscribeOptionsBuilder();
        foreach (string filter in _retainedFilters)
        {
            subscribe.WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce);
            unsubscribe.WithTopicFilter(filter);
        }

        await CheckAsync(await _client.SubscribeAsync(subscribe.Build(), _stop.Token).ConfigureAwait(false)).ConfigureAwait(false);
        await Task.Delay(1_000, _stop.Token).ConfigureAwait(false);
        await _client.UnsubscribeAsync(unsubscribe.Build(), _stop.Token).ConfigureAwait(false);
    }

    private Task CheckAsync(MqttClientSubscribeResult result)
    {
        foreach (MqttClientSubscribeResultItem item in result.Items)
        {
            if ((int)item.ResultCode > (int)MqttClientSubscribeResultCode.GrantedQoS2)
            {
                _log($"mqtt {_clientId}: the broker refused the subscription {item.TopicFilter.Topic}: {item.ResultCode}");
            }
        }

        return Task.CompletedTask;
    }

    private Task OnReceivedAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        string topic = e.ApplicationMessage.Topic;
        if (_handler is null || !Wire.TryParseTopic(topic, out string chargerId, out int kind))
        {
            return Task.CompletedTask; // acknowledged at once: nothing of ours
        }

        e.AutoAcknowledge = false;
        var message = new Incoming(topic, chargerId, kind, e.ApplicationMessage.Payload.ToArray());
        int worker = (int)((uint)StringComparer.Ordinal.GetHashCode(chargerId) % (uint)_queues.Length);
        _queues[worker].Writer.TryWrite((message, e));
        return Task.CompletedTask;
    }

    private async Task WorkAsync(ChannelReader<(Incoming Message, MqttApplicationMessageReceivedEventArgs Args)> reader)
    {
        var batch = new List<(Incoming Message, MqttApplicationMessageReceivedEventArgs Args)>(BatchLimit);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < BatchLimit && reader.TryRead(out (Incoming, MqttApplicationMessageReceivedEventArgs) item))
            {
                batch.Add(item);
            }

            if (!await HandleAsync(batch).ConfigureAwait(false))
            {
                continue; // stopping with the database down: left for the broker to deliver again
            }

            foreach ((Incoming _, MqttApplicationMessageReceivedEventArgs args) in batch)
            {
                try
                {
                    await args.AcknowledgeAsync(CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception e) when (e is InvalidOperationException or MQTTnet.Exceptions.MqttCommunicationException or ObjectDisposedException)
                {
                    // The connection is gone: the broker delivers it again, and it is stored once.
                }
            }

            Interlocked.Add(ref _handled, batch.Count);
        }
    }

    // A database that is down holds the batch (unacknowledged) and retries; a message that breaks
    // the handler otherwise is retried alone and then given up with a log line, so one bad message
    // cannot stop a charger's traffic.
    private async Task<bool> HandleAsync(List<(Incoming Message, MqttApplicationMessageReceivedEventArgs Args)> batch)
    {
        int waitMs = 200;
        while (true)
        {
            try
            {
                await _handler!([.. batch.Select(b => b.Message)]).ConfigureAwait(false);
                return true;
            }
            catch (System.Data.Common.DbException e)
            {
                if (_stop.IsCancellationRequested)
                {
                    return false;
                }

                _log($"mqtt {_clientId}: database error, {batch.Count} messages held: {e.Message}");
                await Task.Delay(waitMs).ConfigureAwait(false);
                waitMs = Math.Min(10_000, waitMs * 2);
            }
            catch (Exception e) when (batch.Count > 1)
            {
                _log($"mqtt {_clientId}: {e.GetType().Name} in a batch of {batch.Count}; handling one by one");
                bool all = true;
                foreach ((Incoming, MqttApplicationMessageReceivedEventArgs) one in batch)
                {
                    all &= await HandleAsync([one]).ConfigureAwait(false);
                }

                return all;
            }
            catch (Exception e)
            {
                _log($"mqtt {_clientId}: gave up {batch[0].Message.Topic}: {e}");
                return true;
            }
        }
    }
}
