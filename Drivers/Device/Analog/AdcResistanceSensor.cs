using System;
using System.Device.Adc;
using ChargerFirmware.Drivers.Analog;
using ChargerFirmware.Drivers.Proximity;

namespace ChargerFirmware.Drivers.Device.Analog
{
    /// <summary>
    /// A resistor to ground under a pull-up, read on an ADC1 channel and averaged: the proximity pilot
    /// resistor directly, the NTC through <see cref="Temperature.NtcTemperatureSensor"/>. An open
    /// circuit reads <see cref="ResistanceSense.Open"/>.
    /// </summary>
    public sealed class AdcResistanceSensor : IProximitySensor
    {
        private readonly AdcChannel _channel;
        private readonly ResistanceSense _sense;
        private readonly int[] _raw;

        /// <summary>A sensor on <paramref name="channel"/> averaging <paramref name="samples"/> readings through <paramref name="sense"/>.</summary>
        public AdcResistanceSensor(AdcChannel channel, ResistanceSense sense, int samples)
        {
            _channel = channel;
            _sense = sense;
            _raw = new int[samples];
        }

        /// <inheritdoc/>
        public bool TryReadOhms(out int ohms)
        {
            ohms = 0;
            try
            {
                for (int i = 0; i < _raw.Length; i++)
                {
                    _raw[i] = _channel.ReadValue();
                }
            }
            catch (Exception)
            {
                return false;
            }

            ohms = _sense.OhmsFromRaw(_raw, _raw.Length);
            return true;
        }
    }
}
