namespace ChargerFirmware.Protocol.Messages
{
    /// <summary>How the driver takes the remuneration of a ledger entry (seed: offset, points or payout).</summary>
    public static class Settlement
    {
        /// <summary>"offset": set against later purchases.</summary>
        public const int Offset = 1;

        /// <summary>"points": exchanged for points.</summary>
        public const int Points = 2;

        /// <summary>"payout": paid out.</summary>
        public const int Payout = 3;

        /// <summary>Wire names of the constants above.</summary>
        public static readonly WireNames Names = new WireNames(new string?[] { null, "offset", "points", "payout" });
    }
}
