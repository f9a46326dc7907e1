using ChargerFirmware.Protocol.Json;

namespace ChargerFirmware.Protocol.Messages
{
    /// <summary>Readers for the value types the messages share, each applying the contract's range.</summary>
    internal static class FieldRead
    {
        public static bool IsNull(JsonReader reader)
        {
            return reader.Token == JsonToken.Null;
        }

        /// <summary>An id-like string: 1..64 visible ASCII characters.</summary>
        public static bool Token(JsonReader reader, out string? value)
        {
            return reader.TryGetString(1, Limits.MaxTokenLength, true, out value);
        }

        /// <summary>null, or an id-like string.</summary>
        public static bool NullableToken(JsonReader reader, out string? value)
        {
            value = null;
            return IsNull(reader) || Token(reader, out value);
        }

        /// <summary>An ISO 4217 code: exactly three upper-case letters.</summary>
        public static bool Currency(JsonReader reader, out string? value)
        {
            if (reader.TryGetString(3, 3, true, out value) && IsUpper(value![0]) && IsUpper(value[1]) && IsUpper(value[2]))
            {
                return true;
            }

            value = null;
            return false;
        }

        /// <summary>A price per kWh, 0..1,000,000.000, at most three decimals, in milli-currency.</summary>
        public static bool Price(JsonReader reader, out long milli)
        {
            return reader.TryGetMilli(0, Limits.MaxPriceMilli, out milli);
        }

        /// <summary>A power in W within ±<see cref="Limits.MaxPowerW"/>.</summary>
        public static bool Power(JsonReader reader, out int watts)
        {
            return reader.TryGetInteger(-Limits.MaxPowerW, Limits.MaxPowerW, out watts);
        }

        /// <summary>A counter 0..2^53-1 (energy in Wh, amounts in milli-currency).</summary>
        public static bool Counter(JsonReader reader, out long value)
        {
            return reader.TryGetInteger(0, Limits.MaxCounter, out value);
        }

        /// <summary>A state of charge 0..100 %.</summary>
        public static bool Percent(JsonReader reader, out int value)
        {
            return reader.TryGetInteger(0, 100, out value);
        }

        /// <summary>One of the wire names of <paramref name="names"/>; <paramref name="value"/> is its constant.</summary>
        public static bool Name(JsonReader reader, WireNames names, out int value)
        {
            value = reader.Token == JsonToken.String ? reader.MatchString(names.Entries) : -1;
            if (value > 0)
            {
                return true;
            }

            value = 0;
            return false;
        }

        private static bool IsUpper(char c)
        {
            return c >= 'A' && c <= 'Z';
        }
    }
}
