using ChargerFirmware.Drivers.Device.Analog;
using ChargerFirmware.Drivers.Temperature;

namespace ChargerFirmware.Drivers.Device.Temperature
{
    /// <summary>The NTC thermistor under a pull-up from the 2.5 V reference; its resistance read by an <see cref="AdcResistanceSensor"/>.</summary>
    public sealed class NtcTemperatureSensor : ITemperatureSensor
    {
        private readonly AdcResistanceSensor _resistance;

        /// <summary>A sensor converting the resistance <paramref name="resistance"/> reads.</summary>
        public NtcTemperatureSensor(AdcResistanceSensor resistance)
        {
            _resistance = resistance;
        }

        /// <inheritdoc/>
        public bool TryRead(out int deciCelsius)
        {
            deciCelsius = 0;
            int ohms;
            return _resistance.TryReadOhms(out ohms) && NtcThermistor.TryDeciCelsius(ohms, out deciCelsius);
        }
    }
}
