namespace ChargerFirmware.Protocol.Messages
{
    /// <summary>The charger's coarse state on the status topic.</summary>
    public static class ChargerState
    {
        /// <summary>"idle": no vehicle connected.</summary>
        public const int Idle = 1;

        /// <summary>"connected": a vehicle is connected, no power flows.</summary>
        public const int Connected = 2;

        /// <summary>"charging": power flows into the vehicle.</summary>
        public const int Charging = 3;

        /// <summary>"discharging": power flows out of the vehicle.</summary>
        public const int Discharging = 4;

        /// <summary>"fault": stopped by a fault (see faults).</summary>
        public const int Fault = 5;

        /// <summary>"unavailable": out of service (starting, disabled, updating).</summary>
        public const int Unavailable = 6;

        /// <summary>Wire names of the constants above.</summary>
        public static readonly WireNames Names = new WireNames(new string?[] { null, "idle", "connected", "charging", "discharging", "fault", "unavailable" });
    }
}
