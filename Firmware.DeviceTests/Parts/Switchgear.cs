using ChargerFirmware.Drivers.Contactor;
using ChargerFirmware.Drivers.Proximity;
using ChargerFirmware.Drivers.Rcd;
using ChargerFirmware.Drivers.Temperature;

namespace ChargerFirmware.DeviceTests.Parts
{
    /// <summary>A healthy cabinet: a contactor whose feedback follows its coil, a quiet RCD, 25 °C inside, a 32 A cable.</summary>
    public sealed class Switchgear : IContactor, IResidualCurrentMonitor, ITemperatureSensor, IProximitySensor
    {
        private bool _closed;

        /// <summary>Times the contactor was driven closed.</summary>
        public int Closings;

        /// <inheritdoc />
        public bool FeedbackClosed
        {
            get { return _closed; }
        }

        /// <inheritdoc />
        public bool Tripped
        {
            get { return false; }
        }

        /// <inheritdoc />
        public void Drive(bool closed)
        {
            if (closed && !_closed)
            {
                Closings++;
            }

            _closed = closed;
        }

        /// <inheritdoc />
        public void DriveTest(bool on)
        {
        }

        /// <inheritdoc />
        public bool TryRead(out int deciCelsius)
        {
            deciCelsius = 250;
            return true;
        }

        /// <inheritdoc />
        public bool TryReadOhms(out int ohms)
        {
            ohms = 220;
            return true;
        }
    }
}
