using ChargerFirmware.Drivers.Pilot;

namespace ChargerFirmware.DeviceTests.Parts
{
    /// <summary>
    /// The control pilot line as the charger's ADC sees it: the car's level (A 12 V, B 9 V, C 6 V) on
    /// the high half of the PWM, -12 V through the car's diode on the low half.
    /// </summary>
    public sealed class CarPilot : IPilotSampler, IPilotPwm
    {
        private const int SupplyMv = 12000;

        /// <summary>The state the car presents (<see cref="PilotState.A"/>, B or C).</summary>
        public int CarState = PilotState.A;

        /// <summary>The duty cycle the charger drives, per mille.</summary>
        public int DutyPermille = DutyCycle.Steady;

        /// <inheritdoc />
        public void SetDutyPermille(int dutyPermille)
        {
            DutyPermille = dutyPermille;
        }

        /// <inheritdoc />
        public bool Sample(PilotSample sample)
        {
            int high = CarState == PilotState.B ? 9000 : (CarState == PilotState.C ? 6000 : SupplyMv);
            if (DutyPermille == DutyCycle.StateF)
            {
                sample.HighMv = -SupplyMv;
                sample.LowMv = -SupplyMv;
            }
            else
            {
                sample.HighMv = high;
                sample.LowMv = DutyPermille == DutyCycle.Steady ? high : -SupplyMv;
            }

            return true;
        }
    }
}
