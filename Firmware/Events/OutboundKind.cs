using ChargerFirmware.Protocol.Messages;

namespace ChargerFirmware.Events
{
    /// <summary>
    /// Kinds of the notices the control loop posts to its outbox for the aggregator link (and any
    /// other listener) to send. A notice published as an event carries the contract's
    /// <see cref="EventType"/> value as its kind, so the link needs no mapping; the other kinds
    /// (dispatch ack, ledger record) come after them. Long1 is always the monotonic time of the notice.
    /// </summary>
    public static class OutboundKind
    {
        /// <summary>A fault was raised: Int1 is the <c>FaultCode</c>, Text1 the session in progress or null.</summary>
        public const int FaultRaised = EventType.FaultRaised;

        /// <summary>A fault cleared: Int1 is the <c>FaultCode</c>, Text1 the session in progress or null.</summary>
        public const int FaultCleared = EventType.FaultCleared;

        /// <summary>A vehicle was plugged in: Text1 is the session id, Text2 the vehicle id or null.</summary>
        public const int Plugged = EventType.Plugged;

        /// <summary>The vehicle was unplugged: Text1 is the session id.</summary>
        public const int Unplugged = EventType.Unplugged;

        /// <summary>The driver is asked for consent: Payload is the consent request for the phone.</summary>
        public const int ConsentRequested = EventType.ConsentRequested;

        /// <summary>Consent granted: Text1 is the session id.</summary>
        public const int ConsentGranted = EventType.ConsentGranted;

        /// <summary>Consent denied or timed out: Text1 is the session id.</summary>
        public const int ConsentDenied = EventType.ConsentDenied;

        /// <summary>The driver stopped sharing: Text1 is the session id.</summary>
        public const int ConsentRevoked = EventType.ConsentRevoked;

        /// <summary>The session ended: Payload is its summary.</summary>
        public const int SessionEnded = EventType.SessionEnded;

        /// <summary>A stored file's load result or write state to report: Int1 is the <c>StoredFile</c>, Int2 the <c>LoadResults</c> code.</summary>
        public const int StorageReport = EventType.Storage;

        /// <summary>A dispatch acknowledgement: Payload is the ack message.</summary>
        public const int DispatchAck = 20;

        /// <summary>A dispatch's time ran out before the charger could hold it: Text1 is its session, Text2 its id.</summary>
        public const int DispatchExpired = EventType.DispatchExpired;

        /// <summary>New ledger records are in the journal: the link forwards them now.</summary>
        public const int LedgerRecord = 21;
    }
}
