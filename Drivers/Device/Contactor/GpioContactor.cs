using System.Device.Gpio;
using ChargerFirmware.Drivers.Contactor;

namespace ChargerFirmware.Drivers.Device.Contactor
{
    /// <summary>The contactor coil driver (high closes) and its auxiliary contact (low when closed, via optocoupler).</summary>
    public sealed class GpioContactor : IContactor
    {
        private readonly GpioPin _drive;
        private readonly GpioPin _feedback;

        /// <summary>A contactor on output <paramref name="drive"/> and input <paramref name="feedback"/>; opens it at once.</summary>
        public GpioContactor(GpioPin drive, GpioPin feedback)
        {
            _drive = drive;
            _feedback = feedback;
            _drive.Write(PinValue.Low);
        }

        /// <inheritdoc/>
        public void Drive(bool closed)
        {
            _drive.Write(closed ? PinValue.High : PinValue.Low);
        }

        /// <inheritdoc/>
        public bool FeedbackClosed
        {
            get { return _feedback.Read() == PinValue.Low; }
        }
    }
}
