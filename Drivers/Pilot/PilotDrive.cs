namespace ChargerFirmware.Drivers.Pilot
{
    /// <summary>
    /// From the pilot's duty (per-mille of the period at +12 V) to the GPIO's duty (per-mille of the
    /// period high). A non-inverting ±12 V driver copies the GPIO; an inverting one (a single
    /// transistor stage, for example) swaps high and low, so 0 and 1000 trade places too.
    /// </summary>
    public static class PilotDrive
    {
        /// <summary>The GPIO duty in per-mille (0..1000) for <paramref name="pilotDutyPermille"/>, clamped to 0..1000.</summary>
        public static int PinDutyPermille(int pilotDutyPermille, bool invertingDriver)
        {
            int duty = pilotDutyPermille < 0 ? 0 : (pilotDutyPermille > 1000 ? 1000 : pilotDutyPermille);
            return invertingDriver ? 1000 - duty : duty;
        }
    }
}
