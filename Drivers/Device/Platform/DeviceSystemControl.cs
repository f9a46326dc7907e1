using ChargerFirmware.Drivers.Platform;
using nanoFramework.Runtime.Native;

namespace ChargerFirmware.Drivers.Device.Platform
{
    /// <summary>The ESP32's restart, through nanoFramework's native power API.</summary>
    public sealed class DeviceSystemControl : ISystemControl
    {
        /// <inheritdoc />
        public void Reboot()
        {
            Power.RebootDevice();
        }
    }
}
