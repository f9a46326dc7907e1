namespace ChargerFirmware.Protocol.Messages
{
    /// <summary>The kinds of message on the events topic.</summary>
    public static class EventType
    {
        /// <summary>"plugged": a vehicle was connected (vehicleId when known).</summary>
        public const int Plugged = 1;

        /// <summary>"unplugged": the vehicle was disconnected.</summary>
        public const int Unplugged = 2;

        /// <summary>"consent-requested": the driver was asked for consent.</summary>
        public const int ConsentRequested = 3;

        /// <summary>"consent-granted": the driver allowed aggregator control.</summary>
        public const int ConsentGranted = 4;

        /// <summary>"consent-denied": the driver refused, or the deadline passed.</summary>
        public const int ConsentDenied = 5;

        /// <summary>"consent-revoked": the driver withdrew consent during the session.</summary>
        public const int ConsentRevoked = 6;

        /// <summary>"session-ended": the session closed (importWh, exportWh, purchaseMilli, earningsMilli, netMilli, currency).</summary>
        public const int SessionEnded = 7;

        /// <summary>"fault-raised": a fault became active (fault).</summary>
        public const int FaultRaised = 8;

        /// <summary>"fault-cleared": a fault cleared (fault).</summary>
        public const int FaultCleared = 9;

        /// <summary>"dispatch-expired": a dispatch ran out of its validity (dispatchId).</summary>
        public const int DispatchExpired = 10;

        /// <summary>"storage": what the charger found loading a stored file at start, or a file's writes failing or working again (file, result).</summary>
        public const int Storage = 11;

        /// <summary>Wire names of the constants above.</summary>
        public static readonly WireNames Names = new WireNames(new string?[] { null, "plugged", "unplugged", "consent-requested", "consent-granted", "consent-denied", "consent-revoked", "session-ended", "fault-raised", "fault-cleared", "dispatch-expired", "storage" });
    }
}
