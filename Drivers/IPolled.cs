namespace ChargerFirmware.Drivers
{
    /// <summary>
    /// A link driven by the control loop, one non-blocking step per tick (for example a Modbus
    /// master exchanging frames with the converter). It must never block or allocate.
    /// </summary>
    public interface IPolled
    {
        /// <summary>Advances the link's work as of <paramref name="nowMs"/> (monotonic).</summary>
        void Poll(long nowMs);
    }
}
