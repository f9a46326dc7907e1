using System;
using ChargerFirmware.Drivers.Analog;

namespace ChargerFirmware.Drivers.Pilot
{
    /// <summary>
    /// The pilot sense front end: a three-resistor network shifts and scales the ±12 V pilot into the
    /// ADC's linear range. The pilot reaches the ADC node through <c>R1</c> (series), a precision
    /// reference <c>Vref</c> lifts it through <c>R2</c> (offset), <c>R3</c> ties it to ground. With
    /// G = 1/R1 + 1/R2 + 1/R3 the node sits at Vadc = (Vpilot/R1 + Vref/R2) / G, so
    /// Vpilot = Vadc x (1 + R1/R2 + R1/R3) - Vref x R1/R2, computed here in integers as
    /// (Vadc x (R2·R3 + R1·R3 + R1·R2) - Vref x R1·R3) / (R2·R3).
    /// </summary>
    public sealed class PilotFrontEnd
    {
        /// <summary>Fewest readings a burst needs to stand for both plateaus of one PWM period.</summary>
        public const int MinSamples = 8;

        private readonly AdcCalibration _adc;
        private readonly long _adcGain;
        private readonly long _referenceTerm;
        private readonly long _denominator;

        /// <summary>
        /// A front end with <paramref name="seriesOhms"/> (R1), <paramref name="offsetOhms"/> (R2),
        /// <paramref name="groundOhms"/> (R3) and an offset reference of
        /// <paramref name="referenceMillivolts"/>, read through <paramref name="adc"/>.
        /// </summary>
        public PilotFrontEnd(int seriesOhms, int offsetOhms, int groundOhms, int referenceMillivolts, AdcCalibration adc)
        {
            if (seriesOhms <= 0 || offsetOhms <= 0 || groundOhms <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(seriesOhms));
            }

            if (referenceMillivolts <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(referenceMillivolts));
            }

            _adc = adc;
            long r1 = seriesOhms;
            long r2 = offsetOhms;
            long r3 = groundOhms;
            _denominator = r2 * r3;
            _adcGain = (r2 * r3) + (r1 * r3) + (r1 * r2);
            _referenceTerm = referenceMillivolts * r1 * r3;
        }

        /// <summary>The pilot voltage in mV for <paramref name="adcMillivolts"/> at the ADC pin.</summary>
        public int PilotMillivolts(int adcMillivolts)
        {
            return (int)IntegerMath.DivideRounded((adcMillivolts * _adcGain) - _referenceTerm, _denominator);
        }

        /// <summary>
        /// Reduces a burst of <paramref name="count"/> raw readings to its plateaus: the largest reading
        /// is the high plateau, the smallest the low plateau, both in pilot mV. Returns false (and leaves
        /// <paramref name="sample"/> alone) when the burst is shorter than <see cref="MinSamples"/>.
        /// </summary>
        public bool Reduce(int[] raw, int count, PilotSample sample)
        {
            if (count < MinSamples || count > raw.Length)
            {
                return false;
            }

            int highest = raw[0];
            int lowest = raw[0];
            for (int i = 1; i < count; i++)
            {
                int value = raw[i];
                if (value > highest)
                {
                    highest = value;
                }
                else if (value < lowest)
                {
                    lowest = value;
                }
            }

            sample.HighMv = PilotMillivolts(_adc.ToMillivolts(highest));
            sample.LowMv = PilotMillivolts(_adc.ToMillivolts(lowest));
            return true;
        }
    }
}
