namespace ChargerFirmware.Arbiter
{
    /// <summary>Configuration of <see cref="PowerArbiter"/>; read every tick, so changes apply at once.</summary>
    public sealed class ArbiterOptions
    {
        /// <summary>A state of charge older than this is no state of charge (default 60 s).</summary>
        public long SocMaxAgeMs = 60000;

        /// <summary>How fast the setpoint may rise in magnitude, W per second (default 2 kW/s); a dispatch may ask for slower.</summary>
        public int RampWps = 2000;

        /// <summary>After a discharge stopped at the floor, it resumes only at floor + this many per-mille (default 2 %).</summary>
        public int FloorResumeHysteresisPermille = 20;

        /// <summary>The charger's local time: minutes ahead of UTC, for the driver's time windows.</summary>
        public int UtcOffsetMinutes;

        /// <summary>The longest gap between ticks a ramp step accounts for, so a stalled loop does not jump (default 1 s).</summary>
        public long MaxRampIntervalMs = 1000;

        /// <summary>The highest buying price any dispatch may charge, milli-currency per kWh, whatever the driver delegated.</summary>
        public int BuyPriceCeilingMilli = 100000;

        /// <summary>The lowest selling price any dispatch may pay, milli-currency per kWh, whatever the driver delegated.</summary>
        public int SellPriceFloorMilli = 1000;

        /// <summary>How much a reported state of charge may overstate the real one, per-mille.</summary>
        public int SocResolutionPermille = 10;

        /// <summary>
        /// How far ahead the floor is predicted, ms: the time a stop takes to reach the battery (the next
        /// tick, the converter's write and its ramp down). A discharge stops while the predicted state of
        /// charge at that horizon is still at or above the floor (default 2 s).
        /// </summary>
        public long FloorHorizonMs = 2000;
    }
}
