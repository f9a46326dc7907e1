namespace ChargerFirmware.Drivers.Platform
{
    /// <summary>
    /// The service button inside the enclosure: a technician with the key proves physical presence by
    /// pressing it right after power-up (the firmware's documented service procedure). Read only at
    /// start, and only when the firmware needs it (damaged security state), so its wait costs nothing
    /// on an ordinary boot.
    /// </summary>
    public interface IServiceButton
    {
        /// <summary>True when the button is (or, within the adapter's window after power-up, gets) pressed.</summary>
        bool IsPressed { get; }
    }
}
