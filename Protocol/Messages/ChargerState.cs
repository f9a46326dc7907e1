namespace ChargerFirmware.Protocol.Messages
{
    /// <summary>
    /// The charging session's state on the status topic, as a technician would name it; the
    /// firmware's session state is this constant itself (never Enum.ToString: the device would
    /// print a number).
    /// </summary>
    public static class ChargerState
    {
        /// <summary>"idle": no vehicle (pilot A).</summary>
        public const int Idle = 1;

        /// <summary>"awaiting-consent": a vehicle is connected and the driver is being asked for consent; no power.</summary>
        public const int AwaitingConsent = 2;

        /// <summary>"ready": consent decided; the vehicle is connected but not asking for power (pilot B).</summary>
        public const int Ready = 3;

        /// <summary>"charging": contactor closed, power flowing into the car.</summary>
        public const int Charging = 4;

        /// <summary>"discharging": contactor closed, power flowing out of the car.</summary>
        public const int Discharging = 5;

        /// <summary>"paused": contactor closed, no power (waiting for a dispatch, at the floor, price not met…).</summary>
        public const int Paused = 6;

        /// <summary>"fault": a fault forbids power (see faults); the pilot shows the fault state.</summary>
        public const int Fault = 7;

        /// <summary>"disabled": a technician took the charger out of service.</summary>
        public const int Disabled = 8;

        /// <summary>Number of states (valid states are 1 .. Count).</summary>
        public const int Count = 8;

        /// <summary>Wire names of the constants above.</summary>
        public static readonly WireNames Names = new WireNames(new string?[]
        {
            null, "idle", "awaiting-consent", "ready", "charging", "discharging", "paused", "fault", "disabled",
        });
    }
}
