namespace ChargerFirmware.Protocol.Messages
{
    /// <summary>
    /// availability (charger to everyone, retained, QoS 1): plain text "online" or "offline", not JSON.
    /// The charger publishes "online" after connecting and registers "offline" as its Last Will.
    /// </summary>
    public static class Availability
    {
        /// <summary>The payload while the charger is connected.</summary>
        public const string Online = "online";

        /// <summary>The payload of the Last Will and of an orderly disconnect.</summary>
        public const string Offline = "offline";

        /// <summary>Writes "online" or "offline" as ASCII into <paramref name="buffer"/>; returns the length, or -1 when it does not fit.</summary>
        public static int Encode(bool online, byte[] buffer)
        {
            string text = online ? Online : Offline;
            if (buffer.Length < text.Length)
            {
                return -1;
            }

            for (int i = 0; i < text.Length; i++)
            {
                buffer[i] = (byte)text[i];
            }

            return text.Length;
        }

        /// <summary>Reads an exact "online" or "offline" (nothing else, no whitespace).</summary>
        public static bool TryDecode(byte[] payload, int length, out bool online)
        {
            online = Matches(payload, length, Online);
            return online || Matches(payload, length, Offline);
        }

        private static bool Matches(byte[] payload, int length, string text)
        {
            if (length != text.Length || length > payload.Length)
            {
                return false;
            }

            for (int i = 0; i < length; i++)
            {
                if (payload[i] != text[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
