using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using ChargerFirmware.Protocol;
using ChargerFirmware.Protocol.Messages;
using ChargerFirmware.Simulator.Mqtt;
using MQTTnet;
using MQTTnet.Protocol;

namespace ChargerFirmware.Simulator.Aggregator;

/// <summary>
/// The driver's phone behind the aggregator's consent relay, over MQTT only: it keeps the latest
/// consent request each charger published (session id, nonce, prices, deadline) and answers it with
/// <c>phone allow|deny [conditions]</c>, quoting that session id and nonce as a real phone would.
/// The conditions are what the charger's panel can set: a preset, or the kept charge, prices,
/// "leave it to the aggregator" and weekly windows, plus the settlement and "remember for this car".
/// </summary>
public sealed class DriverPhone : IAsyncDisposable
{
    /// <summary>How the conditions of <c>phone allow</c> are written.</summary>
    public const string ConditionsUsage =
        "phone allow|deny [preset=NAME | keep=P sell=PRICE buy=PRICE delegated=yes|no window=DAYS,HH:MM-HH:MM ... anytime]"
        + " [settlement=offset|points|payout] [remember=yes|no]   (DAYS: mon-fri, sat+sun, daily, mon+wed+fri)";

    private static readonly string[] Days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    private readonly BrokerEndpoint _broker;
    private readonly IMqttClient _client;
    private readonly ConcurrentDictionary<string, ConsentRequestMessage> _requests = new();
    private readonly object _codecGate = new();
    private readonly MessageCodec _codec = new("phone");
    private readonly byte[] _buffer = new byte[MessageCodec.MaxPayloadLength];

    /// <summary>A phone on <paramref name="broker"/>; nothing happens until <see cref="StartAsync"/>.</summary>
    public DriverPhone(BrokerEndpoint broker)
    {
        _broker = broker;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += e =>
        {
            Receive(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray());
            return Task.CompletedTask;
        };
    }

    /// <summary>Connects and listens for consent requests of every charger.</summary>
    public async Task StartAsync(CancellationToken cancel = default)
    {
        await _client.ConnectAsync(_broker.ClientOptions("phone-" + Guid.NewGuid().ToString("N")[..8]).Build(), cancel).ConfigureAwait(false);
        await _client.SubscribeAsync(new MqttClientFactory().CreateSubscribeOptionsBuilder()
            .WithTopicFilter("chargers/+/consent/request", MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancel).ConfigureAwait(false);
    }

    /// <summary>The latest consent request of <paramref name="chargerId"/>, or null.</summary>
    public ConsentRequestMessage? Request(string chargerId) => _requests.TryGetValue(chargerId, out ConsentRequestMessage? r) ? r : null;

    /// <summary>
    /// Answers the latest request of <paramref name="chargerId"/>: allow or deny, with the conditions in
    /// <paramref name="words"/> (see <see cref="ConditionsUsage"/>); returns what was sent, in words.
    /// Throws <see cref="FormatException"/> on a bad word or when no request came.
    /// </summary>
    public async Task<string> AnswerAsync(string chargerId, bool allow, IEnumerable<string> words)
    {
        ConsentRequestMessage request = Request(chargerId)
            ?? throw new FormatException($"the phone has no consent request from {chargerId} (plug a car in first)");
        var answer = new ConsentResponseMessage();
        answer.Clear();
        answer.SessionId = request.SessionId;
        answer.Nonce = request.Nonce;
        answer.Allow = allow;
        Fill(answer, words);
        byte[] payload;
        lock (_codecGate)
        {
            int length = _codec.Encode(answer, _buffer);
            if (length < 0)
            {
                throw new FormatException("the answer does not fit the contract's size limit");
            }

            payload = _buffer[..length];
        }

        await _client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(new Topics(Topics.DefaultPrefix, chargerId).ForKind(MessageKind.ConsentResponse)!)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build()).ConfigureAwait(false);
        return System.Text.Encoding.UTF8.GetString(payload);
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

    /// <summary>Reads the answer's words into <paramref name="answer"/>; throws <see cref="FormatException"/> on a bad one.</summary>
    public static void Fill(ConsentResponseMessage answer, IEnumerable<string> words)
    {
        Protocol.Messages.Conditions c = answer.Conditions;
        foreach (string word in words)
        {
            int eq = word.IndexOf('=');
            string key = eq > 0 ? word[..eq] : word;
            string value = eq > 0 ? word[(eq + 1)..] : string.Empty;
            switch (key)
            {
                case "preset":
                    c.Preset = value.Length > 0 ? value : throw new FormatException("preset=NAME");
                    break;
                case "keep":
                    c.HasKeptSocPct = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out c.KeptSocPct) && c.KeptSocPct <= 100
                        ? true : throw new FormatException("keep=PERCENT, 0..100");
                    break;
                case "sell":
                    c.MinSellPriceMilli = Milli(value, key);
                    c.HasMinSellPrice = true;
                    break;
                case "buy":
                    c.MaxBuyPriceMilli = Milli(value, key);
                    c.HasMaxBuyPrice = true;
                    break;
                case "delegated":
                    c.Delegated = YesNo(value, key);
                    c.HasDelegated = true;
                    break;
                case "anytime":
                    c.HasWindows = true;
                    c.WindowCount = 0;
                    break;
                case "window":
                    Window(c, value);
                    break;
                case "settlement":
                    answer.Settlement = Settlement.Names.Parse(value) is int s && Settlement.IsValid(s)
                        ? s : throw new FormatException("settlement=offset|points|payout");
                    break;
                case "remember":
                    answer.Remember = YesNo(value, key);
                    answer.HasRemember = true;
                    break;
                default:
                    throw new FormatException($"unknown phone setting '{key}'; {ConditionsUsage}");
            }
        }

        answer.HasConditions = c.Preset is not null || c.HasExplicitValues;
        if (c.Preset is not null && c.HasExplicitValues)
        {
            throw new FormatException("a preset or explicit values, not both");
        }
    }

    // window=mon-fri,22:00-06:00 (days: a range, names joined by '+', daily, weekdays, weekend).
    private static void Window(Protocol.Messages.Conditions c, string value)
    {
        int comma = value.IndexOf(',');
        string[] times = comma > 0 ? value[(comma + 1)..].Split('-') : [];
        if (comma <= 0 || times.Length != 2 || !TryClock(times[0], out int from) || !TryClock(times[1], out int to))
        {
            throw new FormatException("window=DAYS,HH:MM-HH:MM, e.g. window=mon-fri,22:00-06:00");
        }

        int days = DaysOf(value[..comma]);
        if (!c.AddWindow(days, from, to == 0 ? 1440 : to))
        {
            throw new FormatException("a window needs days and a start different from its end (at most 8 windows)");
        }
    }

    private static int DaysOf(string text)
    {
        switch (text)
        {
            case "daily":
                return 127;
            case "weekdays":
                return 62;
            case "weekend":
                return 65;
        }

        int dash = text.IndexOf('-');
        if (dash > 0)
        {
            int first = Array.IndexOf(Days, text[..dash]);
            int last = Array.IndexOf(Days, text[(dash + 1)..]);
            if (first < 0 || last < 0)
            {
                throw new FormatException($"unknown days '{text}'");
            }

            int mask = 0;
            for (int d = first; ; d = (d + 1) % 7)
            {
                mask |= 1 << d;
                if (d == last)
                {
                    return mask;
                }
            }
        }

        int days = 0;
        foreach (string name in text.Split('+'))
        {
            int day = Array.IndexOf(Days, name);
            days |= day >= 0 ? 1 << day : throw new FormatException($"unknown day '{name}' (mon..sun)");
        }

        return days;
    }

    private static bool TryClock(string text, out int minute)
    {
        minute = -1;
        return text.Length == 5 && text[2] == ':' && int.TryParse(text[..2], out int h) && int.TryParse(text[3..], out int m)
            && m < 60 && (minute = (h * 60) + m) <= 1440;
    }

    private static bool YesNo(string value, string key) => value switch
    {
        "yes" => true,
        "no" => false,
        _ => throw new FormatException($"{key}=yes|no"),
    };

    private static long Milli(string text, string key) =>
        decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal price) && price >= 0 && price <= 10_000 && decimal.Round(price, 3) == price
            ? (long)(price * 1000)
            : throw new FormatException($"{key}=PRICE per kWh, 0..10000 with at most three decimals");

    private void Receive(string topic, byte[] payload)
    {
        string[] levels = topic.Split('/');
        if (levels.Length < 4)
        {
            return;
        }

        var request = new ConsentRequestMessage();
        bool decoded;
        lock (_codecGate)
        {
            decoded = _codec.TryDecode(payload, payload.Length, request, out _);
        }

        if (decoded)
        {
            _requests[levels[1]] = request;
        }
    }
}
