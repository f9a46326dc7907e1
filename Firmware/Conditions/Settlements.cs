namespace ChargerFirmware.Conditions
{
    /// <summary>
    /// What the driver does with the money earned by selling energy, chosen at consent time and
    /// carried with the session: offset it against later purchases, exchange it for points, or be
    /// paid out. Int constants with explicit wire names.
    /// </summary>
    public static class Settlements
    {
        /// <summary>No choice given (an answer that keeps the conditions' default).</summary>
        public const int Unspecified = -1;

        /// <summary>Offset against later purchases.</summary>
        public const int Offset = 0;

        /// <summary>Exchanged for points.</summary>
        public const int Points = 1;

        /// <summary>Paid out.</summary>
        public const int Payout = 2;

        /// <summary>True for a storable choice (not <see cref="Unspecified"/>).</summary>
        public static bool IsValid(int settlement)
        {
            return settlement >= Offset && settlement <= Payout;
        }

        /// <summary>The wire name: offset, points, payout, or unspecified.</summary>
        public static string Name(int settlement)
        {
            switch (settlement)
            {
                case Offset:
                    return "offset";
                case Points:
                    return "points";
                case Payout:
                    return "payout";
                default:
                    return "unspecified";
            }
        }

        /// <summary>The choice named <paramref name="name"/>, or <see cref="Unspecified"/>.</summary>
        public static int Parse(string name)
        {
            switch (name)
            {
                case "offset":
                    return Offset;
                case "points":
                    return Points;
                case "payout":
                    return Payout;
                default:
                    return Unspecified;
            }
        }
    }
}
