namespace ChargerFirmware.Dispatch
{
    /// <summary>
    /// Reasons a dispatch is refused or ended that the charger's own rules give (the codec's
    /// decoding reasons and the arbiter's reason codes complete the list in the contract).
    /// Static fields, not constants: on nanoFramework every load of a literal allocates a new string.
    /// </summary>
    public static class DispatchReasons
    {
        /// <summary>The sequence number is not above the highest judged.</summary>
        public static readonly string Replayed = "replayed";

        /// <summary>issuedAt lies further in the future than the allowed clock skew.</summary>
        public static readonly string IssuedInFuture = "issued-in-future";

        /// <summary>issuedAt lies further in the past than the configured maximum age: the order arrived too late to trust.</summary>
        public static readonly string Stale = "stale";

        /// <summary>The order's time is already over.</summary>
        public static readonly string Expired = "expired";

        /// <summary>The charger's clock is not synchronised, so no order can be shown to be fresh.</summary>
        public static readonly string ClockUnsynchronised = "clock-unsynchronised";

        /// <summary>The order's prices are in another currency than the charger's.</summary>
        public static readonly string WrongCurrency = "wrong-currency";

        /// <summary>A cancel names no held order.</summary>
        public static readonly string UnknownId = "unknown-id";

        /// <summary>The charger could not queue the message (a burst): nothing was done, send it again.</summary>
        public static readonly string Busy = "busy";

        /// <summary>Interrupted: the vehicle was unplugged, the order has nothing left to drive.</summary>
        public static readonly string VehicleLeft = "vehicle-left";

        /// <summary>The charger lost its record of the sequence numbers it saw; an order issued before it found the loss may be a replay and is refused (issue it again).</summary>
        public static readonly string SequenceLost = "sequence-lost";

        /// <summary>The charger cannot keep the order's sequence number on flash, so it cannot run it safely (a storage fault).</summary>
        public static readonly string StorageFault = "storage-fault";

        /// <summary>Interrupted: the broker gave no proof of life for longer than the offline limit.</summary>
        public static readonly string OfflineLimit = "offline-limit";

        /// <summary>Interrupted: the driver stopped sharing.</summary>
        public static readonly string ConsentRevoked = "consent-revoked";

        /// <summary>Interrupted: the charger restarted (a power cut, a watchdog or a technician) while holding the order.</summary>
        public static readonly string Restart = "restart";

        /// <summary>Expired: the arbiter followed the order but the converter never held its setpoint.</summary>
        public static readonly string SetpointNotReached = "setpoint-not-reached";
    }
}
