using System;

namespace ChargerFirmware.Drivers.Device.Clock
{
    /// <summary>
    /// Time on the device: monotonic ms from Environment.TickCount64 (nanoFramework.Runtime.Native,
    /// since boot, never adjusted), wall time from DateTime.UtcNow, which SNTP sets. The ESP32 boots at
    /// 1970, so wall time counts as synchronised once it is past <see cref="WallClock.PlausibleFloorUtcMs"/>.
    /// </summary>
    public sealed class DeviceClock : IClock
    {
        /// <inheritdoc/>
        public long MonotonicMs
        {
            get { return Environment.TickCount64; }
        }

        /// <inheritdoc/>
        public long UtcMs
        {
            get { return WallClock.UtcMsFromTicks(DateTime.UtcNow.Ticks); }
        }

        /// <inheritdoc/>
        public bool UtcSynchronized
        {
            get { return WallClock.IsPlausible(UtcMs); }
        }
    }
}
