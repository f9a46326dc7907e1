using System.Buffers;
using System.Collections.Concurrent;
using ChargerFirmware.Protocol;
using ChargerFirmware.Protocol.Messages;
using ChargerFirmware.Simulator.Mqtt;
using MQTTnet;
using MQTTnet.Protocol;

namespace ChargerFirmware.Simulator.Aggregator;

/// <summary>
/// A small, honest resource aggregator that speaks only the MQTT contract (Protocol's topics and
/// codec): it publishes retained prices, sends dispatches and cancels, acknowledges ledger records
/// (<c>…/ledger/ack</c> upTo, contiguous from the first record it saw) and reports what the
/// chargers publish. It never answers a consent prompt: consent comes from the driver, on the
/// panel or through the phone relay, never from the aggregator. Chargers are found by their
/// availability under <c>chargers/+</c>.
/// </summary>
public sealed class ReferenceAggregator : IAsyncDisposable
{
    private const string Root = "chargers/";

    private readonly BrokerEndpoint _broker;
    private readonly Func<long> _utcNow;
    private readonly Action<string> _log;
    private readonly IMqttClient _client;
    private readonly ConcurrentDictionary<string, ChargerView> _views = new();
    private readonly ConcurrentDictionary<string, Topics> _topics = new();
    private readonly object _codecGate = new();
    private readonly MessageCodec _codec = new("aggregator");
    private readonly byte[] _buffer = new byte[MessageCodec.MaxPayloadLength];
    private long _lastSeq;
    private int _dispatchCount;

    /// <summary>
    /// An aggregator on <paramref name="broker"/> whose clock is <paramref name="utcNow"/> (Unix ms:
    /// the simulated time when it runs beside the chargers), reporting through <paramref name="log"/>.
    /// </summary>
    public ReferenceAggregator(BrokerEndpoint broker, Func<long> utcNow, Action<string> log)
    {
        _broker = broker;
        _utcNow = utcNow;
        _log = log;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += e =>
        {
            Receive(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray());
            return Task.CompletedTask;
        };
    }

    /// <summary>Currency of every price it sets.</summary>
    public string Currency { get; init; } = "JPY";

    /// <summary>When true it reports every status change, event, acknowledgement and ledger record; else only problems.</summary>
    public bool Verbose { get; init; } = true;

    /// <summary>Called (on the MQTT thread) with the charger's time of every status it receives, Unix ms.</summary>
    public Action<long>? StatusTimeSeen { get; init; }

    /// <summary>Raised (on the MQTT thread) for every line it reports, with the charger id.</summary>
    public event Action<string, string>? Reported;

    /// <summary>Its clock, Unix ms.</summary>
    public long UtcNowMs => _utcNow();

    /// <summary>Every charger seen so far.</summary>
    public IReadOnlyCollection<ChargerView> Chargers => [.. _views.Values.OrderBy(v => v.Id, StringComparer.Ordinal)];

    /// <summary>The view of <paramref name="chargerId"/> (created empty when not seen yet).</summary>
    public ChargerView View(string chargerId) => _views.GetOrAdd(chargerId, id => new ChargerView(id));

    /// <summary>Chargers online now.</summary>
    public int OnlineCount => _views.Values.Count(v => v.Online);

    /// <summary>Connects and subscribes to everything the chargers publish.</summary>
    public async Task StartAsync(CancellationToken cancel = default)
    {
        MqttClientOptions options = _broker.ClientOptions("aggregator-" + Guid.NewGuid().ToString("N")[..8]).Build();
        await _client.ConnectAsync(options, cancel).ConfigureAwait(false);
        MqttClientSubscribeOptionsBuilder subscribe = new MqttClientFactory().CreateSubscribeOptionsBuilder();
        foreach (string level in new[] { "availability", "status", "events", "dispatch/ack", "ledger", "consent/request" })
        {
            subscribe.WithTopicFilter(Root + "+/" + level, MqttQualityOfServiceLevel.AtLeastOnce);
        }

        await _client.SubscribeAsync(subscribe.Build(), cancel).ConfigureAwait(false);
    }

    /// <summary>Publishes retained prices for <paramref name="chargerId"/>, valid from an hour ago for <paramref name="validHours"/> hours (per kWh, milli-currency).</summary>
    public Task PublishPricesAsync(string chargerId, long buyMilli, long sellMilli, int validHours = 24)
    {
        long now = _utcNow();
        var prices = new PricesMessage
        {
            ValidFromMs = now - 3_600_000,
            ValidToMs = now + (validHours * 3_600_000L),
            BuyPriceMilli = buyMilli,
            SellPriceMilli = sellMilli,
            Currency = Currency,
        };
        Report(chargerId, $"prices: buy {Price(buyMilli)} sell {Price(sellMilli)} {Currency}/kWh (retained)");
        return PublishAsync(chargerId, prices, retain: true);
    }

    /// <summary>
    /// Sends a dispatch of <paramref name="setpointW"/> (+ charge, - discharge) for
    /// <paramref name="durationS"/> to <paramref name="chargerId"/>, with the prices it pays or
    /// charges; returns its id.
    /// </summary>
    public async Task<string> DispatchAsync(string chargerId, int setpointW, int durationS, long? buyMilli = null, long? sellMilli = null)
    {
        var order = new DispatchMessage
        {
            Id = $"dr-{Interlocked.Increment(ref _dispatchCount):D4}",
            Seq = NextSeq(),
            IssuedAtMs = _utcNow(),
            DurationS = durationS,
            SetpointW = setpointW,
            ChargerId = chargerId,
        };
        if (buyMilli is long buy)
        {
            order.HasBuyPrice = true;
            order.BuyPriceMilli = buy;
        }

        if (sellMilli is long sell)
        {
            order.HasSellPrice = true;
            order.SellPriceMilli = sell;
        }

        if (order.HasBuyPrice || order.HasSellPrice)
        {
            order.Currency = Currency;
        }

        string prices = (buyMilli is null ? "" : $" buy {Price(buyMilli.Value)}") + (sellMilli is null ? "" : $" sell {Price(sellMilli.Value)}");
        Report(chargerId, $"dispatch {order.Id}: {(setpointW >= 0 ? "up-DR charge" : "down-DR discharge")} {setpointW} W for {durationS / 60.0:0.#} min{prices}");
        ChargerView view = View(chargerId);
        lock (view.Gate)
        {
            view.Sent(order.Id);
        }

        await PublishAsync(chargerId, order, retain: false).ConfigureAwait(false);
        return order.Id;
    }

    /// <summary>Cancels dispatch <paramref name="dispatchId"/> at <paramref name="chargerId"/>.</summary>
    public Task CancelAsync(string chargerId, string dispatchId)
    {
        Report(chargerId, $"cancel {dispatchId}");
        return PublishAsync(chargerId, new DispatchCancelMessage { Id = dispatchId }, retain: false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync().ConfigureAwait(false);
        }

        _client.Dispose();
    }

    /// <summary>"12.5" for 12500 milli-currency.</summary>
    public static string Price(long milli) => (milli / 1000.0).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    private long NextSeq()
    {
        // Above every earlier run's sequence too (a charger remembers the highest it judged): microseconds since
        // 1970, which stay below the contract's 2^53-1 until the year 2255.
        long candidate = (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / 10;
        long last = Interlocked.Read(ref _lastSeq);
        long next = Math.Max(candidate, last + 1);
        while (Interlocked.CompareExchange(ref _lastSeq, next, last) != last)
        {
            last = Interlocked.Read(ref _lastSeq);
            next = Math.Max(candidate, last + 1);
        }

        return next;
    }

    private Topics TopicsOf(string chargerId) => _topics.GetOrAdd(chargerId, id => new Topics(Topics.DefaultPrefix, id));

    private async Task PublishAsync(string chargerId, Message message, bool retain)
    {
        byte[] payload;
        lock (_codecGate)
        {
            int length = _codec.Encode(message, _buffer);
            if (length < 0)
            {
                throw new InvalidOperationException("message does not fit the contract's size limit");
            }

            payload = _buffer[..length];
        }

        MqttApplicationMessage published = new MqttApplicationMessageBuilder()
            .WithTopic(TopicsOf(chargerId).ForKind(message.Kind))
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build();
        await _client.PublishAsync(published).ConfigureAwait(false);
    }

    private void Receive(string topic, byte[] payload)
    {
        if (!topic.StartsWith(Root, StringComparison.Ordinal))
        {
            return;
        }

        int slash = topic.IndexOf('/', Root.Length);
        string id = slash > 0 ? topic[Root.Length..slash] : string.Empty;
        Topics topics;
        try
        {
            topics = TopicsOf(id);
        }
        catch (ArgumentException)
        {
            return;
        }

        ChargerView view = View(id);
        int kind = topics.Classify(topic);
        if (kind == MessageKind.Availability)
        {
            if (Availability.TryDecode(payload, payload.Length, out bool online))
            {
                bool changed;
                lock (view.Gate)
                {
                    changed = view.Online != online;
                    view.Online = online;
                }

                if (changed)
                {
                    Report(id, online ? "online" : "offline");
                }
            }

            return;
        }

        Message? message = kind switch
        {
            MessageKind.Status => new StatusMessage(),
            MessageKind.Event => new EventMessage(),
            MessageKind.DispatchAck => new DispatchAckMessage(),
            MessageKind.Ledger => new LedgerMessage(),
            MessageKind.ConsentRequest => new ConsentRequestMessage(),
            _ => null,
        };
        if (message is null)
        {
            return;
        }

        string? reason;
        bool decoded;
        lock (_codecGate)
        {
            decoded = _codec.TryDecode(payload, payload.Length, message, out reason);
        }

        if (!decoded)
        {
            Report(id, $"refused a {MessageKindName(kind)} message: {reason}", always: true);
            return;
        }

        switch (message)
        {
            case StatusMessage status:
                OnStatus(view, status);
                break;
            case EventMessage e:
                lock (view.Gate)
                {
                    view.Events.Add(e);
                }

                Report(id, "event " + Describe(e));
                break;
            case DispatchAckMessage ack:
                lock (view.Gate)
                {
                    view.Acked(ack);
                }

                Report(id, $"ack {ack.Id ?? "(no id)"}: {DispatchStatus.Names.Name(ack.Status)}{(ack.Reason is null ? "" : " (" + ack.Reason + ")")}, applied {ack.AppliedW} W");
                break;
            case LedgerMessage record:
                OnLedger(view, record);
                break;
            case ConsentRequestMessage:
                lock (view.Gate)
                {
                    view.ConsentRequests++;
                }

                Report(id, "consent prompt for the driver's phone relayed; the aggregator does not answer it");
                break;
        }
    }

    private void OnStatus(ChargerView view, StatusMessage status)
    {
        StatusMessage? before;
        lock (view.Gate)
        {
            before = view.Status;
            view.Status = status;
            view.StatusCount++;
        }

        StatusTimeSeen?.Invoke(status.AtMs);

        if (before is null || before.State != status.State || before.Reason != status.Reason
            || before.DispatchId != status.DispatchId || before.Consent != status.Consent)
        {
            string soc = status.HasSocPct ? $"{status.SocPct}%" : "?";
            Report(view.Id, $"status {ChargerState.Names.Name(status.State)}, consent {ConsentState.Names.Name(status.Consent)}, SOC {soc}, {status.PowerW} W, reason {status.Reason}{(status.DispatchId is null ? "" : ", dispatch " + status.DispatchId)}");
        }
    }

    private void OnLedger(ChargerView view, LedgerMessage record)
    {
        long upTo;
        lock (view.Gate)
        {
            view.Ledger[record.Id] = record;
            long first = view.Ledger.Keys.First();
            upTo = Math.Max(view.LedgerAckedUpTo, first - 1);
            while (view.Ledger.ContainsKey(upTo + 1))
            {
                upTo++;
            }

            if (upTo <= view.LedgerAckedUpTo)
            {
                return;
            }

            view.LedgerAckedUpTo = upTo;
        }

        Report(view.Id, $"ledger #{record.Id} {LedgerKind.Names.Name(record.EntryKind)} {record.Wh} Wh at {Price(record.PriceMilli)} {record.Currency}/kWh = {Price(record.AmountMilli)} {record.Currency}; ack up to #{upTo}");
        _ = PublishAsync(view.Id, new LedgerAckMessage { UpTo = upTo }, retain: false);
    }

    private static string Describe(EventMessage e)
    {
        string name = EventType.Names.Name(e.Type) ?? "?";
        return e.Type switch
        {
            EventType.SessionEnded => $"{name}: charged {e.ImportWh} Wh, discharged {e.ExportWh} Wh, net {Price(e.NetMilli)} {e.Currency}",
            EventType.FaultRaised or EventType.FaultCleared => $"{name}: {e.Fault}",
            EventType.DispatchExpired => $"{name}: {e.DispatchId}",
            EventType.Plugged => $"{name}: session {e.SessionId}{(e.VehicleId is null ? "" : ", vehicle " + e.VehicleId)}",
            _ => $"{name}: session {e.SessionId}",
        };
    }

    private static string MessageKindName(int kind) => kind switch
    {
        MessageKind.Status => "status",
        MessageKind.Event => "event",
        MessageKind.DispatchAck => "dispatch/ack",
        MessageKind.Ledger => "ledger",
        MessageKind.ConsentRequest => "consent/request",
        _ => "unknown",
    };

    private void Report(string chargerId, string text, bool always = false)
    {
        if (Verbose || always)
        {
            _log($"aggregator | {chargerId}: {text}");
        }

        Reported?.Invoke(chargerId, text);
    }
}
