namespace ChargerFirmware.Protocol
{
    /// <summary>
    /// The topics of the contract as integer constants, with the delivery each needs (QoS, retain).
    /// Incoming kinds are the ones the charger subscribes to.
    /// </summary>
    public static class MessageKind
    {
        /// <summary>A topic that is not part of the contract.</summary>
        public const int Unknown = 0;

        /// <summary>…/availability: "online"/"offline" plain text, retained, QoS 1; "offline" is the Last Will.</summary>
        public const int Availability = 1;

        /// <summary>…/status: retained, QoS 1.</summary>
        public const int Status = 2;

        /// <summary>…/events: QoS 1.</summary>
        public const int Event = 3;

        /// <summary>…/consent/request: QoS 1.</summary>
        public const int ConsentRequest = 4;

        /// <summary>…/consent/response: incoming, QoS 1.</summary>
        public const int ConsentResponse = 5;

        /// <summary>…/dispatch: incoming, QoS 1.</summary>
        public const int Dispatch = 6;

        /// <summary>…/dispatch/cancel: incoming, QoS 1.</summary>
        public const int DispatchCancel = 7;

        /// <summary>…/dispatch/ack: QoS 1.</summary>
        public const int DispatchAck = 8;

        /// <summary>…/prices: incoming, retained by the aggregator, QoS 1.</summary>
        public const int Prices = 9;

        /// <summary>…/telemetry: QoS 0 (the next reading replaces a lost one).</summary>
        public const int Telemetry = 10;

        /// <summary>…/ledger: QoS 1, idempotent by id.</summary>
        public const int Ledger = 11;

        /// <summary>…/ledger/ack: incoming, QoS 1.</summary>
        public const int LedgerAck = 12;

        /// <summary>One more than the highest kind, for arrays indexed by kind.</summary>
        public const int Count = 13;

        /// <summary>True for the kinds the charger subscribes to.</summary>
        public static bool IsIncoming(int kind)
        {
            return kind == ConsentResponse || kind == Dispatch || kind == DispatchCancel || kind == Prices || kind == LedgerAck;
        }

        /// <summary>The MQTT QoS to publish or subscribe with.</summary>
        public static int Qos(int kind)
        {
            return kind == Telemetry || kind == Unknown ? 0 : 1;
        }

        /// <summary>True when the charger publishes this kind retained.</summary>
        public static bool Retain(int kind)
        {
            return kind == Availability || kind == Status;
        }
    }
}
