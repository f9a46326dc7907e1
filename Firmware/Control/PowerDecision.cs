namespace ChargerFirmware.Control
{
    /// <summary>What the session's power policy answers each tick. Reused every tick.</summary>
    public sealed class PowerDecision
    {
        /// <summary>The setpoint, W (+ charges the car, - discharges it).</summary>
        public int SetpointW;

        /// <summary>Why, as a reason code (see <c>ReasonCodes</c>).</summary>
        public int Reason;

        /// <summary>True when the aggregator drives the power (its dispatch), false for the driver's own charging.</summary>
        public bool AggregatorInControl;
    }
}
