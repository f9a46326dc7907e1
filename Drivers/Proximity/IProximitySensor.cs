namespace ChargerFirmware.Drivers.Proximity
{
    /// <summary>The proximity pilot (PP) resistance between PP and PE, which codes the cable's rating.</summary>
    public interface IProximitySensor
    {
        /// <summary>Reads the resistance in ohms; false when no reading (open circuit reads as a large value).</summary>
        bool TryReadOhms(out int ohms);
    }
}
