using ChargerFirmware.Protocol.Messages;

namespace ChargerFirmware.Bench.Macro;

/// <summary>The aggregator's encoding of what it publishes (done before any timer starts).</summary>
public static class Wire
{
    public static byte[] Encode(Message message)
    {
        var buffer = new byte[MessageCodec.MaxPayloadLength];
        int length = new MessageCodec("aggregator").Encode(message, buffer);
        return buffer.AsSpan(0, length).ToArray();
    }
}
