namespace ChargerFirmware.Protocol.Messages
{
    /// <summary>
    /// The machine-readable reasons <see cref="MessageCodec.TryDecode"/> gives for a rejected payload.
    /// Field reasons carry the field's JSON name after the colon; a field inside "conditions" is
    /// named with a dot ("out-of-range:conditions.keptSocPct"). Static fields, not constants: on
    /// nanoFramework every load of a literal allocates a new string, and a rejection should not.
    /// </summary>
    public static class DecodeReason
    {
        /// <summary>Not strict JSON, not an object, a duplicated known field, or nested too deep.</summary>
        public static readonly string Malformed = "malformed";

        /// <summary>"v" is present but is not the integer 1.</summary>
        public static readonly string UnknownVersion = "unknown-version";

        /// <summary>The payload is longer than <see cref="MessageCodec.MaxPayloadLength"/> bytes.</summary>
        public static readonly string TooLarge = "too-large";

        /// <summary>A dispatch names another charger in "chargerId".</summary>
        public static readonly string WrongCharger = "wrong-charger";

        /// <summary>Prefix of "missing-field:&lt;name&gt;": a required field is absent.</summary>
        public static readonly string MissingFieldPrefix = "missing-field:";

        /// <summary>Prefix of "out-of-range:&lt;name&gt;": a field has the wrong type or a value outside its range.</summary>
        public static readonly string OutOfRangePrefix = "out-of-range:";
    }
}
