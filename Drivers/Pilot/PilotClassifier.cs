using System;

namespace ChargerFirmware.Drivers.Pilot
{
    /// <summary>
    /// Turns the pilot's high plateau into a state, with hysteresis, and checks the vehicle's diode on
    /// the low plateau. Band edges are the midpoints between the J1772 table A1 bands (A 11.40-12.60 V,
    /// B 8.36-9.56 V, C 5.48-6.49 V, D 2.62-3.25 V, E 0 V), so a reading belongs to the nearest band;
    /// F mirrors A below zero. Each band includes its lower edge:
    /// A 10480..13000, B 7425..10479, C 4365..7424, D 1310..4364, E -1310..1309, F -13000..-10480 mV;
    /// everything else (between E and F, beyond ±13 V) is <see cref="PilotState.Invalid"/>.
    /// </summary>
    public sealed class PilotClassifier
    {
        /// <summary>Readings beyond ±13 V are never a pilot state (ADC or wiring fault).</summary>
        public const int LimitMv = 13000;

        /// <summary>Lowest A reading: midpoint of 11.40 V (A) and 9.56 V (B).</summary>
        public const int AFromMv = 10480;

        /// <summary>Lowest B reading: midpoint of 8.36 V (B) and 6.49 V (C).</summary>
        public const int BFromMv = 7425;

        /// <summary>Lowest C reading: midpoint of 5.48 V (C) and 3.25 V (D).</summary>
        public const int CFromMv = 4365;

        /// <summary>Lowest D reading: midpoint of 2.62 V (D) and 0 V (E).</summary>
        public const int DFromMv = 1310;

        /// <summary>Lowest E reading: E is symmetric about 0 V.</summary>
        public const int EFromMv = -1310;

        /// <summary>Highest F reading: A's lower edge mirrored below zero.</summary>
        public const int FUpToMv = -10480;

        /// <summary>The negative half's J1772 limit nearest zero: -11.40 V.</summary>
        public const int DiodeNominalMaxMv = -11400;

        /// <summary>Default hysteresis: a reading this close outside the previous band keeps the previous state.</summary>
        public const int DefaultHysteresisMv = 200;

        /// <summary>Largest hysteresis accepted: well under half the narrowest band (E, 2620 mV wide).</summary>
        public const int MaxHysteresisMv = 1000;

        /// <summary>Default allowance above -11.40 V for the low plateau (divider and ADC tolerance).</summary>
        public const int DefaultDiodeMarginMv = 600;

        /// <summary>Largest diode margin accepted: a missing diode in state B reads about -9 V.</summary>
        public const int MaxDiodeMarginMv = 2000;

        private readonly int _hysteresisMv;
        private readonly int _diodeLowMaxMv;

        /// <summary>A classifier with <see cref="DefaultHysteresisMv"/> and <see cref="DefaultDiodeMarginMv"/>.</summary>
        public PilotClassifier()
            : this(DefaultHysteresisMv, DefaultDiodeMarginMv)
        {
        }

        /// <summary>A classifier with the given hysteresis (0..1000 mV) and diode margin (0..2000 mV).</summary>
        public PilotClassifier(int hysteresisMv, int diodeMarginMv)
        {
            if (hysteresisMv < 0 || hysteresisMv > MaxHysteresisMv)
            {
                throw new ArgumentOutOfRangeException(nameof(hysteresisMv));
            }

            if (diodeMarginMv < 0 || diodeMarginMv > MaxDiodeMarginMv)
            {
                throw new ArgumentOutOfRangeException(nameof(diodeMarginMv));
            }

            _hysteresisMv = hysteresisMv;
            _diodeLowMaxMv = DiodeNominalMaxMv + diodeMarginMv;
        }

        /// <summary>The hysteresis in mV.</summary>
        public int HysteresisMv
        {
            get { return _hysteresisMv; }
        }

        /// <summary>The low plateau must be at or below this (mV) for the diode check to pass.</summary>
        public int DiodeLowMaxMv
        {
            get { return _diodeLowMaxMv; }
        }

        /// <summary>
        /// The state for a high plateau of <paramref name="highMv"/>. When the reading lies within the
        /// hysteresis of <paramref name="previousState"/>'s band, that state is kept, so a level
        /// resting on an edge does not flicker. The ±13 V limit has no hysteresis.
        /// </summary>
        public int Classify(int highMv, int previousState)
        {
            if (highMv > LimitMv || highMv < -LimitMv)
            {
                return PilotState.Invalid;
            }

            if (previousState >= PilotState.A && previousState <= PilotState.F
                && highMv >= BandFromMv(previousState) - _hysteresisMv
                && highMv <= BandUpToMv(previousState) + _hysteresisMv)
            {
                return previousState;
            }

            return ClassifyWithoutHysteresis(highMv);
        }

        /// <summary>The state by the band edges alone, for a reading already within ±13 V.</summary>
        private static int ClassifyWithoutHysteresis(int highMv)
        {
            if (highMv >= AFromMv)
            {
                return PilotState.A;
            }

            if (highMv >= BFromMv)
            {
                return PilotState.B;
            }

            if (highMv >= CFromMv)
            {
                return PilotState.C;
            }

            if (highMv >= DFromMv)
            {
                return PilotState.D;
            }

            if (highMv >= EFromMv)
            {
                return PilotState.E;
            }

            if (highMv <= FUpToMv)
            {
                return PilotState.F;
            }

            return PilotState.Invalid;
        }

        /// <summary>
        /// True when the vehicle's diode is missing or shorted: with PWM on (duty strictly between 0
        /// and 1000 per-mille) and a vehicle seen (B, C, D), the low plateau must reach
        /// <see cref="DiodeLowMaxMv"/>. Without PWM there is no negative half to check.
        /// </summary>
        public bool DiodeCheckFailed(int state, int lowMv, int dutyPermille)
        {
            if (dutyPermille <= 0 || dutyPermille >= 1000 || !PilotState.VehicleConnected(state))
            {
                return false;
            }

            return lowMv > _diodeLowMaxMv;
        }

        private static int BandFromMv(int state)
        {
            switch (state)
            {
                case PilotState.A:
                    return AFromMv;
                case PilotState.B:
                    return BFromMv;
                case PilotState.C:
                    return CFromMv;
                case PilotState.D:
                    return DFromMv;
                case PilotState.E:
                    return EFromMv;
                default:
                    return -LimitMv;
            }
        }

        private static int BandUpToMv(int state)
        {
            switch (state)
            {
                case PilotState.A:
                    return LimitMv;
                case PilotState.B:
                    return AFromMv - 1;
                case PilotState.C:
                    return BFromMv - 1;
                case PilotState.D:
                    return CFromMv - 1;
                case PilotState.E:
                    return DFromMv - 1;
                default:
                    return FUpToMv;
            }
        }
    }
}
