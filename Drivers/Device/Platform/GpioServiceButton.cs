using System.Device.Gpio;
using System.Threading;
using ChargerFirmware.Drivers.Platform;

namespace ChargerFirmware.Drivers.Device.Platform
{
    /// <summary>
    /// The service button on a GPIO to ground with a pull-up (the module's BOOT button on GPIO 0).
    /// GPIO 0 held low at reset selects the ROM's download mode, so the procedure is to press it
    /// <em>after</em> power-up: the first read watches it for up to <see cref="WindowMs"/> while the
    /// status LED blinks fast, and answers true as soon as it reads pressed.
    /// </summary>
    public sealed class GpioServiceButton : IServiceButton
    {
        /// <summary>How long after power-up the first read waits for the button, ms.</summary>
        public const int WindowMs = 5000;

        private const int BlinkMs = 100;

        private readonly GpioPin _button;
        private readonly GpioPin _led;
        private bool _read;
        private bool _pressed;

        /// <summary>The button on <paramref name="button"/> (input, pull-up, low = pressed), blinking <paramref name="led"/> while it waits.</summary>
        public GpioServiceButton(GpioPin button, GpioPin led)
        {
            _button = button;
            _led = led;
        }

        /// <inheritdoc/>
        public bool IsPressed
        {
            get
            {
                if (_read)
                {
                    return _pressed;
                }

                _read = true;
                for (int waited = 0; waited < WindowMs && !_pressed; waited += BlinkMs)
                {
                    _pressed = _button.Read() == PinValue.Low;
                    _led.Toggle();
                    Thread.Sleep(BlinkMs);
                }

                _led.Write(_pressed ? PinValue.High : PinValue.Low);
                return _pressed;
            }
        }
    }
}
