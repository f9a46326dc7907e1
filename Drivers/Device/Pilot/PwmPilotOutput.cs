using System.Device.Pwm;
using ChargerFirmware.Drivers.Pilot;

namespace ChargerFirmware.Drivers.Device.Pilot
{
    /// <summary>The pilot's 1 kHz PWM on an LEDC channel; touches the hardware only when the duty changes.</summary>
    public sealed class PwmPilotOutput : IPilotPwm
    {
        private readonly PwmChannel _channel;
        private readonly bool _invertingDriver;
        private int _pinPermille = -1;

        /// <summary>
        /// Drives <paramref name="channel"/> (created at the pilot frequency) and starts it in state F
        /// (steady -12 V) until the control loop sets a duty.
        /// </summary>
        public PwmPilotOutput(PwmChannel channel, bool invertingDriver)
        {
            _channel = channel;
            _invertingDriver = invertingDriver;
            SetDutyPermille(0);
            _channel.Start();
        }

        /// <inheritdoc/>
        public void SetDutyPermille(int dutyPermille)
        {
            int pin = PilotDrive.PinDutyPermille(dutyPermille, _invertingDriver);
            if (pin == _pinPermille)
            {
                return;
            }

            _pinPermille = pin;
            _channel.DutyCycle = pin / 1000.0;
        }
    }
}
