namespace ChargerFirmware.Arbiter
{
    /// <summary>What the arbiter decided in one tick (one object, filled in place).</summary>
    public sealed class ArbiterDecision
    {
        /// <summary>The power to command now, W (charge positive, discharge negative), ramped and within every limit.</summary>
        public int SetpointW;

        /// <summary>Where the setpoint is heading, W, within every limit.</summary>
        public int TargetW;

        /// <summary>Why (a <see cref="ReasonCodes"/> constant).</summary>
        public int Reason;

        /// <summary>The limit that set the target (a limited-by-* <see cref="ReasonCodes"/> constant), or <see cref="ReasonCodes.None"/>.</summary>
        public int LimitReason;

        /// <summary>True while the aggregator's dispatch drives the power.</summary>
        public bool AggregatorInControl;

        /// <summary>Whose energy flows, for the ledger: a <see cref="Protocol.Messages.LedgerKind"/> constant, <see cref="Protocol.Messages.LedgerKind.None"/> when idle.</summary>
        public int Kind;

        /// <summary>The most charge power every limit allows now, W (0 when power may not flow).</summary>
        public int MaxChargeW;

        /// <summary>The most discharge power every limit allows now, W, as a positive number (0 when none).</summary>
        public int MaxDischargeW;

        /// <summary>True when consent is granted and now lies inside the driver's windows (or there are none): the aggregator may control.</summary>
        public bool InWindow;

        /// <summary>The followed dispatch's id; empty when the aggregator is not in control.</summary>
        public string DispatchId = "";
    }
}
