using System;

namespace ChargerFirmware.Drivers.Analog
{
    /// <summary>
    /// Raw ADC counts to millivolts at the ADC pin along a straight line through two measured points.
    /// The ESP32's ADC gain and offset differ from chip to chip by several percent, so each board is
    /// calibrated once with two known voltages inside the ADC's linear range (about 0.15 to 2.45 V at
    /// 11 dB attenuation).
    /// </summary>
    public sealed class AdcCalibration
    {
        private readonly int _rawLow;
        private readonly int _millivoltsLow;
        private readonly int _rawSpan;
        private readonly int _millivoltsSpan;
        private readonly int _maxRaw;

        /// <summary>
        /// A line through (<paramref name="rawLow"/>, <paramref name="millivoltsLow"/>) and
        /// (<paramref name="rawHigh"/>, <paramref name="millivoltsHigh"/>) for an ADC whose largest
        /// count is <paramref name="maxRaw"/> (4095 for the ESP32's 12-bit ADC).
        /// </summary>
        public AdcCalibration(int rawLow, int millivoltsLow, int rawHigh, int millivoltsHigh, int maxRaw)
        {
            if (maxRaw <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(maxRaw));
            }

            if (rawLow < 0 || rawHigh <= rawLow || rawHigh > maxRaw)
            {
                throw new ArgumentOutOfRangeException(nameof(rawHigh));
            }

            if (millivoltsHigh <= millivoltsLow)
            {
                throw new ArgumentOutOfRangeException(nameof(millivoltsHigh));
            }

            _rawLow = rawLow;
            _millivoltsLow = millivoltsLow;
            _rawSpan = rawHigh - rawLow;
            _millivoltsSpan = millivoltsHigh - millivoltsLow;
            _maxRaw = maxRaw;
        }

        /// <summary>The largest count the ADC returns; a reading this high is clipped (saturated).</summary>
        public int MaxRaw
        {
            get { return _maxRaw; }
        }

        /// <summary>Millivolts at the ADC pin for <paramref name="raw"/> counts.</summary>
        public int ToMillivolts(int raw)
        {
            return _millivoltsLow + (int)IntegerMath.DivideRounded((long)(raw - _rawLow) * _millivoltsSpan, _rawSpan);
        }
    }
}
