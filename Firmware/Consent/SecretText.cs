namespace ChargerFirmware.Consent
{
    /// <summary>Hex text for random identifiers and a comparison whose time does not depend on where the texts differ.</summary>
    internal static class SecretText
    {
        // Static, not const: on nanoFramework every load of a literal allocates a new string.
        private static readonly string HexDigits = "0123456789abcdef";

        /// <summary>Writes <paramref name="count"/> bytes as lower-case hex into <paramref name="chars"/> from <paramref name="at"/>.</summary>
        public static void WriteHex(byte[] bytes, int count, char[] chars, int at)
        {
            for (int i = 0; i < count; i++)
            {
                chars[at + (2 * i)] = HexDigits[bytes[i] >> 4];
                chars[at + (2 * i) + 1] = HexDigits[bytes[i] & 0x0F];
            }
        }

        /// <summary>
        /// True when <paramref name="given"/> equals <paramref name="expected"/>. Reads every character
        /// of <paramref name="expected"/> whatever <paramref name="given"/> holds, so the time taken
        /// tells an attacker nothing about how much of a guessed nonce was right.
        /// </summary>
        public static bool ConstantTimeEquals(string expected, string given)
        {
            if (given == null || expected.Length == 0)
            {
                return false;
            }

            int difference = expected.Length ^ given.Length;
            for (int i = 0; i < expected.Length; i++)
            {
                int other = i < given.Length ? given[i] : 0;
                difference |= expected[i] ^ other;
            }

            return difference == 0;
        }
    }
}
