namespace ChargerFirmware.Control
{
    /// <summary>
    /// Kinds of the notices the control loop posts to its outbox for the aggregator link (and any
    /// other listener) to send. Long1 is always the monotonic time of the notice.
    /// </summary>
    public static class OutboundKind
    {
        /// <summary>A fault was raised: Int1 is the <c>FaultCode</c>.</summary>
        public const int FaultRaised = 1;

        /// <summary>A fault cleared: Int1 is the <c>FaultCode</c>.</summary>
        public const int FaultCleared = 2;

        /// <summary>A vehicle was plugged in: Text1 is the session id, Text2 the vehicle id or null.</summary>
        public const int Plugged = 3;

        /// <summary>The vehicle was unplugged: Text1 is the session id.</summary>
        public const int Unplugged = 4;

        /// <summary>The driver is asked for consent: Payload is the consent request for the phone.</summary>
        public const int ConsentRequested = 5;

        /// <summary>Consent granted: Text1 is the session id.</summary>
        public const int ConsentGranted = 6;

        /// <summary>Consent denied or timed out: Text1 is the session id.</summary>
        public const int ConsentDenied = 7;

        /// <summary>The driver stopped sharing: Text1 is the session id.</summary>
        public const int ConsentRevoked = 8;

        /// <summary>The session ended: Payload is its summary.</summary>
        public const int SessionEnded = 9;

        /// <summary>A dispatch acknowledgement: Payload is the ack message.</summary>
        public const int DispatchAck = 10;

        /// <summary>A dispatch expired: Text1 is its id.</summary>
        public const int DispatchExpired = 11;

        /// <summary>New ledger records are in the journal: the link forwards them now.</summary>
        public const int LedgerRecord = 12;
    }
}
