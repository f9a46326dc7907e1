namespace ChargerFirmware.Dispatch
{
    /// <summary>
    /// Reasons a dispatch is refused or ended that the charger's own rules give (the codec's
    /// decoding reasons and the arbiter's reason codes complete the list in the contract).
    /// </summary>
    public static class DispatchReasons
    {
        /// <summary>The sequence number is not above the highest judged.</summary>
        public const string Replayed = "replayed";

        /// <summary>issuedAt lies further in the future than the allowed clock skew.</summary>
        public const string IssuedInFuture = "issued-in-future";

        /// <summary>issuedAt lies further in the past than the configured maximum age: the order arrived too late to trust.</summary>
        public const string Stale = "stale";

        /// <summary>The order's time is already over.</summary>
        public const string Expired = "expired";

        /// <summary>The charger's clock is not synchronised, so no order can be shown to be fresh.</summary>
        public const string ClockUnsynchronised = "clock-unsynchronised";

        /// <summary>The order's prices are in another currency than the charger's.</summary>
        public const string WrongCurrency = "wrong-currency";

        /// <summary>A cancel names no held order.</summary>
        public const string UnknownId = "unknown-id";

        /// <summary>The charger could not queue the message (a burst): nothing was done, send it again.</summary>
        public const string Busy = "busy";

        /// <summary>Interrupted: the vehicle was unplugged, the order has nothing left to drive.</summary>
        public const string VehicleLeft = "vehicle-left";

        /// <summary>The charger lost its record of the sequence numbers it saw; an order issued before it found the loss may be a replay and is refused (issue it again).</summary>
        public const string SequenceLost = "sequence-lost";

        /// <summary>The charger cannot keep the order's sequence number on flash, so it cannot run it safely (a storage fault).</summary>
        public const string StorageFault = "storage-fault";

        /// <summary>Interrupted: the broker gave no proof of life for longer than the offline limit.</summary>
        public const string OfflineLimit = "offline-limit";

        /// <summary>Interrupted: the driver stopped sharing.</summary>
        public const string ConsentRevoked = "consent-revoked";

        /// <summary>Interrupted: the charger restarted (a power cut, a watchdog or a technician) while holding the order.</summary>
        public const string Restart = "restart";

        /// <summary>Expired: the arbiter followed the order but the converter never held its setpoint.</summary>
        public const string SetpointNotReached = "setpoint-not-reached";
    }
}
