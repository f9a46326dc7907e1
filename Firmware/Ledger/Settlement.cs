namespace ChargerFirmware.Ledger
{
    /// <summary>
    /// How the driver takes the session's earnings, chosen at consent time and carried on every
    /// record of the session: offset against later purchases, exchange for points, or pay out.
    /// </summary>
    public static class Settlement
    {
        private static readonly string[] _names = new string[] { "offset", "points", "payout" };

        /// <summary>Earnings are offset against the driver's later purchases.</summary>
        public const int Offset = 0;

        /// <summary>Earnings are exchanged for points.</summary>
        public const int Points = 1;

        /// <summary>Earnings are paid out.</summary>
        public const int Payout = 2;

        /// <summary>How many settlement choices there are (valid values are 0 .. Count-1).</summary>
        public const int Count = 3;

        /// <summary>True for a known settlement choice.</summary>
        public static bool IsValid(int settlement)
        {
            return settlement >= 0 && settlement < Count;
        }

        /// <summary>The wire and panel name: offset, points, payout ("unknown" otherwise).</summary>
        public static string Name(int settlement)
        {
            return NameTable.Name(_names, settlement);
        }

        /// <summary>The settlement called <paramref name="name"/>, or -1 when the name is unknown.</summary>
        public static int Parse(string name)
        {
            return NameTable.Parse(_names, name);
        }
    }
}
