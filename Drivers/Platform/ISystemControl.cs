namespace ChargerFirmware.Drivers.Platform
{
    /// <summary>
    /// Control over the whole system: the device adapter restarts the ESP32, the simulator records the
    /// request. Called only by the control loop, after the power is off and the contactor open.
    /// </summary>
    public interface ISystemControl
    {
        /// <summary>Restarts the firmware; on the device it does not return.</summary>
        void Reboot();
    }
}
