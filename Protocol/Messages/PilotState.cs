namespace ChargerFirmware.Protocol.Messages
{
    /// <summary>
    /// The control pilot state (IEC 61851-1) on the status topic. A..F have the same values as the
    /// driver's <c>ChargerFirmware.Drivers.Pilot.PilotState</c> on purpose (Drivers cannot reference
    /// Protocol, so that class stays); only "invalid" differs: 0 there (an unset field is invalid),
    /// <see cref="Invalid"/> here, because 0 means absent on the wire.
    /// </summary>
    public static class PilotState
    {
        /// <summary>"A": 12 V, no vehicle.</summary>
        public const int A = 1;

        /// <summary>"B": 9 V, vehicle connected, not ready.</summary>
        public const int B = 2;

        /// <summary>"C": 6 V, vehicle ready, charging allowed.</summary>
        public const int C = 3;

        /// <summary>"D": 3 V, vehicle requires ventilation.</summary>
        public const int D = 4;

        /// <summary>"E": 0 V, short or no supply.</summary>
        public const int E = 5;

        /// <summary>"F": -12 V, charger error or not available.</summary>
        public const int F = 6;

        /// <summary>"invalid": the reading fits no state (between bands, out of range).</summary>
        public const int Invalid = 7;

        /// <summary>Wire names of the constants above.</summary>
        public static readonly WireNames Names = new WireNames(new string?[] { null, "A", "B", "C", "D", "E", "F", "invalid" });
    }
}
