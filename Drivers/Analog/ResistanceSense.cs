using System;

namespace ChargerFirmware.Drivers.Analog
{
    /// <summary>
    /// An unknown resistor from an ADC input to ground under a known pull-up resistor from a known
    /// reference voltage (the NTC thermistor, the proximity pilot resistor):
    /// R = R_pullup x V / (V_ref - V).
    /// </summary>
    public sealed class ResistanceSense
    {
        /// <summary>What an open circuit (or a clipped ADC) reads as, in ohms.</summary>
        public const int Open = int.MaxValue;

        private readonly AdcCalibration _adc;
        private readonly int _referenceMillivolts;
        private readonly int _pullUpOhms;

        /// <summary>
        /// A divider with <paramref name="pullUpOhms"/> from <paramref name="referenceMillivolts"/> to
        /// the ADC input read through <paramref name="adc"/>.
        /// </summary>
        public ResistanceSense(AdcCalibration adc, int referenceMillivolts, int pullUpOhms)
        {
            if (referenceMillivolts <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(referenceMillivolts));
            }

            if (pullUpOhms <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(pullUpOhms));
            }

            _adc = adc;
            _referenceMillivolts = referenceMillivolts;
            _pullUpOhms = pullUpOhms;
        }

        /// <summary>
        /// The lower resistor for a node voltage of <paramref name="nodeMillivolts"/>: 0 at or below
        /// 0 V, <see cref="Open"/> at or above the reference.
        /// </summary>
        public int OhmsFromMillivolts(int nodeMillivolts)
        {
            if (nodeMillivolts <= 0)
            {
                return 0;
            }

            if (nodeMillivolts >= _referenceMillivolts)
            {
                return Open;
            }

            long ohms = IntegerMath.DivideRounded((long)_pullUpOhms * nodeMillivolts, _referenceMillivolts - nodeMillivolts);
            return ohms >= Open ? Open : (int)ohms;
        }

        /// <summary>
        /// The lower resistor from the mean of <paramref name="count"/> raw readings. A clipped reading
        /// (the ADC's largest count) means the input floats above the ADC's range: <see cref="Open"/>.
        /// </summary>
        public int OhmsFromRaw(int[] raw, int count)
        {
            if (count <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(count));
            }

            long sum = 0;
            for (int i = 0; i < count; i++)
            {
                if (raw[i] >= _adc.MaxRaw)
                {
                    return Open;
                }

                sum += raw[i];
            }

            return OhmsFromMillivolts(_adc.ToMillivolts((int)IntegerMath.DivideRounded(sum, count)));
        }
    }
}
