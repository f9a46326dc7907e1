using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using ChargerFirmware.Protocol;
using ChargerFirmware.Protocol.Messages;

namespace ChargerFirmware.Aggregator.Ingest;

/// <summary>
/// The MQTT contract on the server side, through the Protocol assembly's own codec (the strict
/// reader and writer the chargers use), so the server speaks exactly Protocol/asyncapi.yaml:
/// topics under <c>chargers/{chargerId}</c>, decoding what chargers publish and encoding what the
/// aggregator and the phone relay send. Thread-safe (one codec per thread).
/// </summary>
public static class Wire
{
    /// <summary>The first topic level; charger ids are the second.</summary>
    public const string Root = "chargers/";

    private static readonly ThreadLocal<MessageCodec> Codec = new(() => new MessageCodec("aggregator"));
    private static readonly ThreadLocal<byte[]> Buffer = new(() => new byte[MessageCodec.MaxPayloadLength]);
    private static readonly ConcurrentDictionary<string, Topics> TopicsById = new(StringComparer.Ordinal);

    /// <summary>The topics of <paramref name="chargerId"/> (throws <see cref="ArgumentException"/> for an id the contract refuses).</summary>
    public static Topics TopicsOf(string chargerId) => TopicsById.GetOrAdd(chargerId, id => new Topics(Topics.DefaultPrefix, id));

    /// <summary>Splits <c>chargers/{id}/…</c> into the charger id and the <see cref="MessageKind"/>; false for any other topic.</summary>
    public static bool TryParseTopic(string topic, out string chargerId, out int kind)
    {
        chargerId = string.Empty;
        kind = MessageKind.Unknown;
        if (!topic.StartsWith(Root, StringComparison.Ordinal))
        {
            return false;
        }

        int slash = topic.IndexOf('/', Root.Length);
        if (slash <= Root.Length)
        {
            return false;
        }

        try
        {
            kind = TopicsOf(topic[Root.Length..slash]).Classify(topic);
        }
        catch (ArgumentException)
        {
            return false; // not a charger id the contract allows
        }

        chargerId = topic[Root.Length..slash];
        return kind != MessageKind.Unknown;
    }

    /// <summary>Decodes <paramref name="payload"/> into <paramref name="into"/>; the reason when the contract refuses it.</summary>
    public static bool TryDecode(byte[] payload, Message into, out string? reason) =>
        Codec.Value!.TryDecode(payload, payload.Length, into, out reason);

    /// <summary>The contract's bytes for <paramref name="message"/>.</summary>
    public static byte[] Encode(Message message)
    {
        byte[] buffer = Buffer.Value!;
        int length = Codec.Value!.Encode(message, buffer);
        if (length < 0)
        {
            throw new InvalidOperationException("the message does not fit the contract's 2048 bytes");
        }

        return buffer[..length];
    }

    /// <summary>The payload as text (it is UTF-8 JSON; bytes that are not UTF-8 show as U+FFFD).</summary>
    public static string Text(byte[] payload) => Encoding.UTF8.GetString(payload);

    /// <summary>Lower-case hex SHA-256 of <paramref name="text"/>.</summary>
    public static string Digest(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>Lower-case hex SHA-256 of <paramref name="bytes"/>.</summary>
    public static string Digest(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>"12.5" for 12500 milli-currency.</summary>
    public static string Money(long milli) => (milli / 1000m).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The name on the wire of <paramref name="value"/> in <paramref name="names"/> (never an enum's ToString).</summary>
    public static string Name(WireNames names, int value) => names.Name(value) ?? "?";
}
