namespace ChargerFirmware.Config
{
    /// <summary>
    /// Settings a host imposes over what the charger loaded from flash, before anything is built
    /// from them: the simulator's charger id and broker, a test's timings. The device has none.
    /// </summary>
    public interface IConfigOverride
    {
        /// <summary>Changes <paramref name="config"/> (already loaded) as the host needs.</summary>
        void Apply(ChargerConfig config);
    }
}
