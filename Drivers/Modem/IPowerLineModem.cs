namespace ChargerFirmware.Drivers.Modem
{
    /// <summary>
    /// The power-line (HomePlug Green PHY / ISO 15118) link to the vehicle. Only a matched vehicle
    /// can tell its state of charge; basic PWM charging tells the charger nothing about the battery.
    /// </summary>
    public interface IPowerLineModem
    {
        /// <summary>Fills <paramref name="reading"/>; returns false when the modem did not answer.</summary>
        bool Read(VehicleLinkReading reading);
    }

    /// <summary>What the vehicle reported over the power-line link, each value with when it was read.</summary>
    public sealed class VehicleLinkReading
    {
        /// <summary>Marks a time that was never read.</summary>
        public const long Never = -1;

        /// <summary>Link up (carrier detected).</summary>
        public bool LinkUp;

        /// <summary>SLAC matching completed with one vehicle.</summary>
        public bool Matched;

        /// <summary>The matched vehicle's id (EVCCID / MAC), or null. Replaced only when it changes.</summary>
        public string? VehicleId;

        /// <summary>State of charge in per-mille (0..1000).</summary>
        public int SocPermille;

        /// <summary>Monotonic ms when the SOC was read, or <see cref="Never"/>.</summary>
        public long SocReadAtMs = Never;

        /// <summary>Usable battery capacity in Wh, 0 when unknown.</summary>
        public int CapacityWh;

        /// <summary>Largest charging power the vehicle accepts now, in W; 0 when unknown.</summary>
        public int MaxChargeW;

        /// <summary>Largest discharging power the vehicle gives now, in W (positive); 0 when unknown or not allowed.</summary>
        public int MaxDischargeW;

        /// <summary>Monotonic ms when the limits were read, or <see cref="Never"/>.</summary>
        public long LimitsReadAtMs = Never;

        /// <summary>Why the module's data cannot be used (a <see cref="ModemProblems"/> code); <see cref="ModemProblems.None"/> when they can.</summary>
        public int Problem;

        /// <summary>The number that goes with <see cref="Problem"/>.</summary>
        public int ProblemDetail;
    }
}
