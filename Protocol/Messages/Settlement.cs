namespace ChargerFirmware.Protocol.Messages
{
    /// <summary>
    /// How the driver takes the remuneration of a ledger entry (seed: offset, points or payout),
    /// chosen at consent time and carried with the session and on every record of it.
    /// </summary>
    public static class Settlement
    {
        /// <summary>No choice given (an answer that keeps the conditions' own); never stored.</summary>
        public const int Unspecified = 0;

        /// <summary>"offset": set against later purchases.</summary>
        public const int Offset = 1;

        /// <summary>"points": exchanged for points.</summary>
        public const int Points = 2;

        /// <summary>"payout": paid out.</summary>
        public const int Payout = 3;

        /// <summary>Wire names of the constants above.</summary>
        public static readonly WireNames Names = new WireNames(new string?[] { null, "offset", "points", "payout" });

        /// <summary>True for a storable choice (not <see cref="Unspecified"/>, not unknown).</summary>
        public static bool IsValid(int settlement)
        {
            return settlement >= Offset && settlement <= Payout;
        }
    }
}
