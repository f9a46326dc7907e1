using System.Device.Gpio;
using ChargerFirmware.Drivers.Rcd;

namespace ChargerFirmware.Drivers.Device.Rcd
{
    /// <summary>A residual current monitor module: open-collector fault output (low = tripped) and a test winding drive (high = inject).</summary>
    public sealed class GpioResidualCurrentMonitor : IResidualCurrentMonitor
    {
        private readonly GpioPin _trip;
        private readonly GpioPin _test;

        /// <summary>A monitor read on <paramref name="trip"/> and tested through <paramref name="test"/>; the test current starts off.</summary>
        public GpioResidualCurrentMonitor(GpioPin trip, GpioPin test)
        {
            _trip = trip;
            _test = test;
            _test.Write(PinValue.Low);
        }

        /// <inheritdoc/>
        public bool Tripped
        {
            get { return _trip.Read() == PinValue.Low; }
        }

        /// <inheritdoc/>
        public void DriveTest(bool on)
        {
            _test.Write(on ? PinValue.High : PinValue.Low);
        }
    }
}
