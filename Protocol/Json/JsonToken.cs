namespace ChargerFirmware.Protocol.Json
{
    /// <summary>The kinds of token <see cref="JsonReader.Read"/> returns.</summary>
    public static class JsonToken
    {
        /// <summary>Nothing read yet.</summary>
        public const int None = 0;

        /// <summary><c>{</c></summary>
        public const int StartObject = 1;

        /// <summary><c>}</c></summary>
        public const int EndObject = 2;

        /// <summary><c>[</c></summary>
        public const int StartArray = 3;

        /// <summary><c>]</c></summary>
        public const int EndArray = 4;

        /// <summary>A member name (the colon after it is already consumed).</summary>
        public const int PropertyName = 5;

        /// <summary>A string value.</summary>
        public const int String = 6;

        /// <summary>A number value (grammar checked, not yet converted).</summary>
        public const int Number = 7;

        /// <summary><c>true</c></summary>
        public const int True = 8;

        /// <summary><c>false</c></summary>
        public const int False = 9;

        /// <summary><c>null</c></summary>
        public const int Null = 10;

        /// <summary>The whole input was one valid JSON value followed only by whitespace.</summary>
        public const int EndOfInput = 11;

        /// <summary>The input is not strict JSON (or exceeds a limit); every later read returns this too.</summary>
        public const int Error = 12;
    }
}
