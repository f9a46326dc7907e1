namespace ChargerFirmware.Protocol.Messages
{
    /// <summary>Whether the driver let the aggregator use the plugged-in vehicle.</summary>
    public static class ConsentState
    {
        /// <summary>"none": no vehicle or no question asked yet.</summary>
        public const int None = 1;

        /// <summary>"pending": asked, waiting for the answer.</summary>
        public const int Pending = 2;

        /// <summary>"granted": allowed, within the conditions.</summary>
        public const int Granted = 3;

        /// <summary>"denied": refused, revoked or unanswered by the deadline.</summary>
        public const int Denied = 4;

        /// <summary>Wire names of the constants above.</summary>
        public static readonly WireNames Names = new WireNames(new string?[] { null, "none", "pending", "granted", "denied" });
    }
}
