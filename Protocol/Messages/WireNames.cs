namespace ChargerFirmware.Protocol.Messages
{
    /// <summary>
    /// The explicit map between an enum-like integer constant and its wire name (never Enum.ToString,
    /// which prints the number on the device). Constants start at 1; 0 means "none / unknown".
    /// </summary>
    public sealed class WireNames
    {
        internal readonly string?[] Entries;

        internal WireNames(string?[] entries)
        {
            Entries = entries;
        }

        /// <summary>Highest valid constant.</summary>
        public int Max
        {
            get { return Entries.Length - 1; }
        }

        /// <summary>The wire name of <paramref name="value"/>, or null when it is not one of the constants.</summary>
        public string? Name(int value)
        {
            return value > 0 && value < Entries.Length ? Entries[value] : null;
        }

        /// <summary>The constant whose wire name is <paramref name="name"/>, or 0 when there is none.</summary>
        public int Parse(string? name)
        {
            for (int i = 1; i < Entries.Length; i++)
            {
                if (Entries[i] == name)
                {
                    return i;
                }
            }

            return 0;
        }
    }
}
