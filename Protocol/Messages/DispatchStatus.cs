namespace ChargerFirmware.Protocol.Messages
{
    /// <summary>What became of a dispatch, as reported on dispatch/ack.</summary>
    public static class DispatchStatus
    {
        /// <summary>"accepted": valid and scheduled (its start lies ahead or it is about to apply).</summary>
        public const int Accepted = 1;

        /// <summary>"rejected": not applied; the ack's reason says why.</summary>
        public const int Rejected = 2;

        /// <summary>"active": being applied now.</summary>
        public const int Active = 3;

        /// <summary>"completed": ran its full duration (it was active, and followed to its end).</summary>
        public const int Completed = 4;

        /// <summary>"expired": its time ran out before the charger could ever hold it (the ack's reason says what stood in the way).</summary>
        public const int Expired = 5;

        /// <summary>"cancelled": stopped by dispatch/cancel.</summary>
        public const int Cancelled = 6;

        /// <summary>"superseded": replaced by a dispatch with a higher seq.</summary>
        public const int Superseded = 7;

        /// <summary>"interrupted": ended before its time by the driver or the charger (consent revoked, fault, floor reached, vehicle left, link down too long, restart...); the reason says which.</summary>
        public const int Interrupted = 8;

        /// <summary>Wire names of the constants above.</summary>
        public static readonly WireNames Names = new WireNames(new string?[] { null, "accepted", "rejected", "active", "completed", "expired", "cancelled", "superseded", "interrupted" });

        /// <summary>True for a status that ends the order's life (nothing more is acked for it).</summary>
        public static bool IsTerminal(int status)
        {
            return status == Rejected || status == Completed || status == Expired || status == Cancelled || status == Superseded || status == Interrupted;
        }
    }
}
