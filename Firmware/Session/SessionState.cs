namespace ChargerFirmware.Session
{
    /// <summary>
    /// The charging session's states, as a technician would name them, with their wire and
    /// console names (never Enum.ToString: the device would print a number).
    /// </summary>
    public static class SessionState
    {
        /// <summary>No vehicle (pilot A).</summary>
        public const int Idle = 0;

        /// <summary>A vehicle is connected and the driver is being asked for consent; no power.</summary>
        public const int AwaitingConsent = 1;

        /// <summary>Consent decided; the vehicle is connected but not asking for power (pilot B).</summary>
        public const int Ready = 2;

        /// <summary>Contactor closed, power flowing into the car.</summary>
        public const int Charging = 3;

        /// <summary>Contactor closed, power flowing out of the car.</summary>
        public const int Discharging = 4;

        /// <summary>Contactor closed, no power (waiting for a dispatch, at the floor, price not met…).</summary>
        public const int Paused = 5;

        /// <summary>A fault forbids power; the pilot shows the fault state.</summary>
        public const int Fault = 6;

        /// <summary>A technician took the charger out of service.</summary>
        public const int Disabled = 7;

        /// <summary>Number of states.</summary>
        public const int Count = 8;

        private static readonly string[] _names =
        {
            "idle", "awaiting-consent", "ready", "charging", "discharging", "paused", "fault", "disabled",
        };

        /// <summary>The wire and console name of <paramref name="state"/>.</summary>
        public static string Name(int state)
        {
            return state >= 0 && state < Count ? _names[state] : "unknown";
        }
    }
}
