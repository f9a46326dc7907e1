namespace ChargerFirmware.Drivers.Pilot
{
    /// <summary>
    /// Samples the control pilot line synchronised to the 1 kHz PWM. The device adapter reads a
    /// burst of ADC values and reports the high plateau (maximum) and the low plateau (minimum),
    /// converted to pilot millivolts (-12000..+12000).
    /// </summary>
    public interface IPilotSampler
    {
        /// <summary>
        /// Fills <paramref name="sample"/> with the last burst. Returns false when the ADC failed;
        /// the caller treats that as a fault, never as a pilot state.
        /// </summary>
        bool Sample(PilotSample sample);
    }

    /// <summary>One burst of pilot readings, reused from tick to tick to avoid allocation.</summary>
    public sealed class PilotSample
    {
        /// <summary>High plateau in millivolts (the positive half of the PWM, or the steady level).</summary>
        public int HighMv;

        /// <summary>Low plateau in millivolts (the negative half of the PWM; about -12 V with a diode).</summary>
        public int LowMv;
    }

    /// <summary>The pilot's 1 kHz PWM output.</summary>
    public interface IPilotPwm
    {
        /// <summary>
        /// Sets the output in per-mille of the period high: 1000 is a steady +12 V (no PWM, "x1"
        /// states), 0 is a steady -12 V (state F, "not available"), 50 is 5 % (digital
        /// communication required), anything between advertises current.
        /// </summary>
        void SetDutyPermille(int dutyPermille);
    }
}
