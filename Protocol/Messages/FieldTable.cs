namespace ChargerFirmware.Protocol.Messages
{
    /// <summary>
    /// The JSON field names of one message (or nested object) with their rejection reasons and their
    /// encoded keys built once, so a rejection and an encoding allocate nothing, and the set of
    /// required fields as a bit mask (bit i = field i).
    /// </summary>
    internal sealed class FieldTable
    {
        public readonly string[] Names;

        /// <summary>The names as <see cref="Json.JsonWriter.Key"/>s, for encoding.</summary>
        public readonly byte[][] Keys;
        public readonly string[] OutOfRange;
        public readonly string[] Missing;
        public readonly long Required;

        /// <param name="path">Prefix of the names in reasons: "" at the top level, "conditions." inside it.</param>
        /// <param name="names">Field names; index = field number (at most 63).</param>
        /// <param name="required">Bit i set when field i must be present.</param>
        public FieldTable(string path, string[] names, long required)
        {
            Names = names;
            Required = required;
            OutOfRange = new string[names.Length];
            Missing = new string[names.Length];
            Keys = new byte[names.Length][];
            for (int i = 0; i < names.Length; i++)
            {
                Keys[i] = Json.JsonWriter.Key(names[i]);
                OutOfRange[i] = DecodeReason.OutOfRangePrefix + path + names[i];
                Missing[i] = DecodeReason.MissingFieldPrefix + path + names[i];
            }
        }

        /// <summary>The reason naming the first field of <paramref name="needed"/> absent from <paramref name="seen"/>, or null.</summary>
        public string? FirstMissing(long needed, long seen)
        {
            long missing = needed & ~seen;
            for (int i = 0; i < Names.Length; i++)
            {
                if ((missing & (1L << i)) != 0)
                {
                    return Missing[i];
                }
            }

            return null;
        }
    }
}
