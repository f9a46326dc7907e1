using System.Buffers;
using System.Collections.Concurrent;
using ChargerFirmware.Consent;
using ChargerFirmware.Control;
using ChargerFirmware.Arbiter;
using ChargerFirmware.Faults;
using ChargerFirmware.Ledger;
using ChargerFirmware.Protocol;
using ChargerFirmware.Protocol.Messages;
using ChargerFirmware.Simulator.Hardware;
using MQTTnet;
using MQTTnet.Protocol;
using DriverPilot = ChargerFirmware.Drivers.Pilot.PilotState;

namespace ChargerFirmware.Simulator.Mqtt;

/// <summary>
/// A charger's MQTT link for the simulator, standing in for the firmware's own aggregator link
/// until that lands (then this class wraps it): connects with the Last Will "offline" on the
/// availability topic, says "online", subscribes to what the aggregator sends, decodes it into the
/// inbox, publishes the outbox's notices as events, acknowledgements and consent prompts, the
/// status on change and as a heartbeat, and forwards ledger records until acknowledged.
/// </summary>
public sealed class FirmwareLink : IChargerLink
{
    private readonly SimulatedCharger _charger;
    private readonly BrokerEndpoint _broker;
    private readonly Topics _topics;
    private readonly MessageCodec _codec;
    private readonly MessageCodec _inCodec;
    private readonly byte[] _buffer = new byte[MessageCodec.MaxPayloadLength];
    private readonly ConcurrentQueue<long> _ledgerAcks = new();
    private readonly ControlEvent _notice = new();
    private readonly ChargerStatus _status = new();
    private readonly LedgerRecord _record = new();
    private readonly IMqttClient _client;
    private Task? _connecting;
    private bool _announced;
    private long _lastStatusMs = long.MinValue / 2;
    private string _lastStatusKey = string.Empty;

    private FirmwareLink(SimulatedCharger charger, BrokerEndpoint broker)
    {
        _charger = charger;
        _broker = broker;
        _topics = new Topics(charger.Config.TopicPrefix, charger.Id);
        _codec = new MessageCodec(charger.Id);
        _inCodec = new MessageCodec(charger.Id);
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += e =>
        {
            Receive(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray());
            return Task.CompletedTask;
        };
    }

    /// <inheritdoc />
    public bool Online => _announced && _client.IsConnected;

    /// <summary>The link for <paramref name="charger"/> on <paramref name="broker"/>.</summary>
    public static IChargerLink Create(SimulatedCharger charger, BrokerEndpoint broker) => new FirmwareLink(charger, broker);

    /// <inheritdoc />
    public void Step(long nowMs)
    {
        if (!_client.IsConnected)
        {
            if (_announced)
            {
                _announced = false;
                _charger.Inbox.Post(ControlEventKind.LinkState, 0, nowMs, null, null);
                _charger.Policy.Journal.RewindToUnacked();
            }

            if (_connecting is null || _connecting.IsCompleted)
            {
                _connecting = ConnectAsync();
            }

            return;
        }

        if (!_announced)
        {
            _announced = true;
            _charger.Inbox.Post(ControlEventKind.LinkState, 1, nowMs, null, null);
            _lastStatusKey = string.Empty;
        }

        while (_ledgerAcks.TryDequeue(out long upTo))
        {
            _charger.Policy.Journal.Acknowledge(upTo);
        }

        while (_charger.Outbox.TryTake(_notice))
        {
            PublishNotice(_notice);
            _notice.Clear();
        }

        PublishStatus(nowMs);
        while (_charger.Policy.Journal.NextUnsent(_record))
        {
            PublishLedger(_record);
        }
    }

    /// <inheritdoc />
    public void Shutdown()
    {
        try
        {
            if (_client.IsConnected)
            {
                int length = Availability.Encode(false, _buffer);
                _client.PublishAsync(Message(MessageKind.Availability, _buffer[..length])).Wait(TimeSpan.FromSeconds(2));
                _client.DisconnectAsync().Wait(TimeSpan.FromSeconds(2));
            }
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or AggregateException or InvalidOperationException)
        {
            // Going away anyway: the Last Will says offline.
        }

        _client.Dispose();
    }

    private async Task ConnectAsync()
    {
        try
        {
            byte[] offline = new byte[16];
            int length = Availability.Encode(false, offline);
            MqttClientOptions options = _broker.ClientOptions(_charger.Id)
                .WithWillTopic(_topics.Availability)
                .WithWillPayload(offline[..length])
                .WithWillRetain(true)
                .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build();
            await _client.ConnectAsync(options).ConfigureAwait(false);
            MqttClientSubscribeOptionsBuilder subscribe = new MqttClientFactory().CreateSubscribeOptionsBuilder();
            for (int kind = 1; kind < MessageKind.Count; kind++)
            {
                if (MessageKind.IsIncoming(kind))
                {
                    subscribe.WithTopicFilter(_topics.ForKind(kind), MqttQualityOfServiceLevel.AtLeastOnce);
                }
            }

            await _client.SubscribeAsync(subscribe.Build()).ConfigureAwait(false);
            byte[] online = new byte[16];
            length = Availability.Encode(true, online);
            await _client.PublishAsync(Message(MessageKind.Availability, online[..length])).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            await Task.Delay(500).ConfigureAwait(false);
        }
    }

    private void Receive(string topic, byte[] payload)
    {
        int kind = _topics.Classify(topic);
        lock (_inCodec)
        {
            string? reason;
            switch (kind)
            {
                case MessageKind.Dispatch:
                    var dispatch = new DispatchMessage();
                    if (_inCodec.TryDecode(payload, payload.Length, dispatch, out reason))
                    {
                        _charger.Inbox.Post(ControlEventKind.Dispatch, 0, 0, null, dispatch);
                    }
                    else
                    {
                        _charger.Inbox.Post(new ControlEvent { Kind = ControlEventKind.DispatchRejected, Text1 = dispatch.Id, Text2 = reason });
                    }

                    break;
                case MessageKind.DispatchCancel:
                    var cancel = new DispatchCancelMessage();
                    if (_inCodec.TryDecode(payload, payload.Length, cancel, out _))
                    {
                        _charger.Inbox.Post(ControlEventKind.DispatchCancel, 0, 0, null, cancel);
                    }

                    break;
                case MessageKind.Prices:
                    var prices = new PricesMessage();
                    if (_inCodec.TryDecode(payload, payload.Length, prices, out _))
                    {
                        _charger.Inbox.Post(ControlEventKind.Prices, 0, 0, null, prices);
                    }

                    break;
                case MessageKind.ConsentResponse:
                    var answer = new ConsentResponseMessage();
                    if (_inCodec.TryDecode(payload, payload.Length, answer, out _))
                    {
                        _charger.Inbox.Post(ControlEventKind.RemoteConsent, 0, 0, null, answer);
                    }

                    break;
                case MessageKind.LedgerAck:
                    var ack = new LedgerAckMessage();
                    if (_inCodec.TryDecode(payload, payload.Length, ack, out _))
                    {
                        _ledgerAcks.Enqueue(ack.UpTo);
                    }

                    break;
            }
        }
    }

    private void PublishNotice(ControlEvent n)
    {
        long at = _charger.Clock.UtcStartMs + n.Long1;
        switch (n.Kind)
        {
            case OutboundKind.DispatchAck:
                PublishMessage((DispatchAckMessage)n.Payload!);
                return;
            case OutboundKind.ConsentRequested:
                if (n.Payload is ConsentRequestMessage request)
                {
                    // The session has "" for a vehicle it does not know yet; the contract wants the member absent.
                    request.VehicleId = string.IsNullOrEmpty(request.VehicleId) ? null : request.VehicleId;
                    PublishMessage(request);
                }

                PublishEvent(EventType.ConsentRequested, at, n.Text1);
                return;
            case OutboundKind.FaultRaised:
            case OutboundKind.FaultCleared:
                var fault = Event(n.Kind == OutboundKind.FaultRaised ? EventType.FaultRaised : EventType.FaultCleared, at, _status.SessionId);
                fault.Fault = FaultCode.Name(n.Int1);
                PublishMessage(fault);
                return;
            case OutboundKind.Plugged:
                var plugged = Event(EventType.Plugged, at, n.Text1);
                plugged.VehicleId = n.Text2;
                PublishMessage(plugged);
                return;
            case OutboundKind.Unplugged:
                PublishEvent(EventType.Unplugged, at, n.Text1);
                return;
            case OutboundKind.ConsentGranted:
                PublishEvent(EventType.ConsentGranted, at, n.Text1);
                return;
            case OutboundKind.ConsentDenied:
                PublishEvent(EventType.ConsentDenied, at, n.Text1);
                return;
            case OutboundKind.ConsentRevoked:
                PublishEvent(EventType.ConsentRevoked, at, n.Text1);
                return;
            case OutboundKind.DispatchExpired:
                var expired = Event(EventType.DispatchExpired, at, _status.SessionId);
                expired.DispatchId = n.Text1;
                PublishMessage(expired);
                return;
            case OutboundKind.SessionEnded:
                var summary = (SessionSummary)n.Payload!;
                var ended = Event(EventType.SessionEnded, at, n.Text1);
                ended.ImportWh = summary.ImportWh;
                ended.ExportWh = summary.ExportWh;
                ended.PurchaseMilli = summary.PurchasesMilli;
                ended.EarningsMilli = summary.EarningsMilli;
                ended.NetMilli = summary.NetMilli;
                ended.Currency = summary.Currency;
                PublishMessage(ended);
                return;
        }
    }

    private static EventMessage Event(int type, long at, string? sessionId) =>
        new() { Type = type, AtMs = at, SessionId = string.IsNullOrEmpty(sessionId) ? "none" : sessionId };

    private void PublishEvent(int type, long at, string? sessionId) => PublishMessage(Event(type, at, sessionId));

    private void PublishStatus(long nowMs)
    {
        _charger.CopyStatus(_status);
        string key = $"{_status.State}/{_status.Consent}/{_status.Reason}/{_status.DispatchId}/{_status.Faults}/{_status.Pilot}";
        bool changed = key != _lastStatusKey;
        ChargerConfig config = _charger.Config;
        if (!(changed && nowMs - _lastStatusMs >= config.StatusMinIntervalMs) && nowMs - _lastStatusMs < config.StatusHeartbeatMs)
        {
            return;
        }

        _lastStatusKey = key;
        _lastStatusMs = nowMs;
        var status = new StatusMessage
        {
            State = _status.State,
            Pilot = _status.Pilot == DriverPilot.Invalid ? Protocol.Messages.PilotState.Invalid : _status.Pilot,
            Consent = ConsentStates.ToWire(_status.Consent),
            HasSocPct = _status.SocKnown,
            SocPct = _status.SocPermille / 10,
            HasSocAgeS = _status.SocKnown,
            SocAgeS = (int)(_status.SocAgeMs / 1000),
            PowerW = _status.PowerW,
            SetpointW = _status.SetpointW,
            Reason = ReasonCodes.Name(_status.Reason),
            DispatchId = _status.DispatchId,
            ClockSynced = _status.ClockSynced,
            AtMs = _status.UtcMs,
        };
        status.Conditions.Preset = _status.ConditionsName;
        for (int code = 0; code < FaultCode.Count && status.FaultCount < status.Faults.Length; code++)
        {
            if ((_status.Faults & (1 << code)) != 0)
            {
                status.Faults[status.FaultCount++] = FaultCode.Name(code);
            }
        }

        PublishMessage(status);
    }

    private void PublishLedger(LedgerRecord r) => PublishMessage(new LedgerMessage
    {
        Id = r.RecordId,
        SessionId = r.SessionId,
        VehicleId = r.VehicleId.Length > 0 ? r.VehicleId : null,
        StartMs = r.StartUtcMs,
        EndMs = r.EndUtcMs,
        EntryKind = r.Kind,
        Wh = r.Wh,
        PriceMilli = r.PriceMilliPerKWh,
        Currency = r.Currency,
        AmountMilli = r.AmountMilli,
        DispatchId = r.DispatchId.Length > 0 ? r.DispatchId : null,
        Settlement = r.Settlement,
    });

    private void PublishMessage(Message message)
    {
        int length = _codec.Encode(message, _buffer);
        if (length > 0)
        {
            Publish(message.Kind, _buffer[..length]);
        }
    }

    private void Publish(int kind, byte[] payload) => _ = _client.PublishAsync(Message(kind, payload));

    private MqttApplicationMessage Message(int kind, byte[] payload) => new MqttApplicationMessageBuilder()
        .WithTopic(_topics.ForKind(kind))
        .WithPayload(payload)
        .WithQualityOfServiceLevel((MqttQualityOfServiceLevel)MessageKind.Qos(kind))
        .WithRetainFlag(MessageKind.Retain(kind))
        .Build();
}
