namespace ChargerFirmware.Control
{
    /// <summary>
    /// The seam between the safety core and the session's power policy (consent, conditions,
    /// dispatch, arbiter): what the hardware allows this tick. The core fills it; the policy answers
    /// with a setpoint inside it. Reused every tick.
    /// </summary>
    public sealed class PowerLimits
    {
        /// <summary>Monotonic time of this tick, ms.</summary>
        public long NowMs;

        /// <summary>Wall time of this tick, Unix ms.</summary>
        public long UtcMs;

        /// <summary>True when wall time is synchronised (price windows and dispatch times need it).</summary>
        public bool UtcValid;

        /// <summary>True when power may flow now: vehicle in C (or D with ventilation), contactor closed and confirmed, no fault.</summary>
        public bool PowerAllowed;

        /// <summary>Most charging power the cable, pilot and supply allow, W.</summary>
        public int CableChargeW;

        /// <summary>Most power the converter can give or take now, W (positive numbers).</summary>
        public int ConverterChargeW;

        /// <summary>Most discharging power the converter can take now, W (a positive number).</summary>
        public int ConverterDischargeW;

        /// <summary>Thermal derating, per-mille of power allowed (1000 full).</summary>
        public int DeratingPermille;

        /// <summary>True when the vehicle reported a state of charge at all.</summary>
        public bool SocKnown;

        /// <summary>Vehicle SOC, per-mille.</summary>
        public int SocPermille;

        /// <summary>Age of the SOC reading, ms.</summary>
        public long SocAgeMs;

        /// <summary>Vehicle's own charge limit, W (0 unknown: no vehicle limit).</summary>
        public int VehicleChargeW;

        /// <summary>Vehicle's own discharge limit, W (0 unknown: discharge not allowed).</summary>
        public int VehicleDischargeW;
    }
}
