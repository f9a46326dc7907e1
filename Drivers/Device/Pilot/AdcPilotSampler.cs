using System;
using System.Device.Adc;
using ChargerFirmware.Drivers.Pilot;
using nanoFramework.Hardware.Esp32;

namespace ChargerFirmware.Drivers.Device.Pilot
{
    /// <summary>
    /// Reads the pilot ADC as fast as managed code can for a little over two PWM periods, so the burst
    /// holds both plateaus whatever the phase; <see cref="PilotFrontEnd"/> turns it into pilot mV.
    /// </summary>
    public sealed class AdcPilotSampler : IPilotSampler
    {
        private readonly AdcChannel _channel;
        private readonly PilotFrontEnd _frontEnd;
        private readonly int[] _raw;
        private readonly ulong _burstMicroseconds;

        /// <summary>A sampler on <paramref name="channel"/> with room for <paramref name="maxSamples"/> readings per burst of <paramref name="burstMicroseconds"/>.</summary>
        public AdcPilotSampler(AdcChannel channel, PilotFrontEnd frontEnd, int maxSamples, int burstMicroseconds)
        {
            _channel = channel;
            _frontEnd = frontEnd;
            _raw = new int[maxSamples];
            _burstMicroseconds = (ulong)burstMicroseconds;
        }

        /// <inheritdoc/>
        public bool Sample(PilotSample sample)
        {
            int count = 0;
            try
            {
                ulong start = HighResTimer.GetCurrent();
                while (count < _raw.Length)
                {
                    _raw[count++] = _channel.ReadValue();
                    if (HighResTimer.GetCurrent() - start >= _burstMicroseconds)
                    {
                        break;
                    }
                }
            }
            catch (Exception)
            {
                return false;
            }

            return _frontEnd.Reduce(_raw, count, sample);
        }
    }
}
