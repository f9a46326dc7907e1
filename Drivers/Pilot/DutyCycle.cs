namespace ChargerFirmware.Drivers.Pilot
{
    /// <summary>
    /// Pilot PWM duty in per-mille for a current offer, and back (SAE J1772 / IEC 61851-1):
    /// 6-51 A: duty % = A / 0.6; above 51 A up to 80 A: duty % = A / 2.5 + 64. Integer arithmetic;
    /// the duty is rounded down so the vehicle never reads more current than was asked for, and it
    /// never falls as the current rises.
    /// </summary>
    public static class DutyCycle
    {
        /// <summary>State F: steady -12 V, EVSE not available.</summary>
        public const int StateF = 0;

        /// <summary>5 %: digital communication (ISO 15118 / DIN 70121) required.</summary>
        public const int DigitalCommunication = 50;

        /// <summary>100 %: steady +12 V, no PWM, no current offered.</summary>
        public const int Steady = 1000;

        /// <summary>Smallest current a PWM duty can offer, in mA.</summary>
        public const int MinCurrentMa = 6000;

        /// <summary>Largest current of the first (linear 0.6 A per %) segment, in mA.</summary>
        public const int SegmentEdgeMa = 51000;

        /// <summary>Largest current a PWM duty can offer, in mA.</summary>
        public const int MaxCurrentMa = 80000;

        /// <summary>Duty for <see cref="MinCurrentMa"/>: 10 %.</summary>
        public const int MinCurrentDuty = 100;

        /// <summary>Duty for <see cref="SegmentEdgeMa"/>: 85 %.</summary>
        public const int SegmentEdgeDuty = 850;

        /// <summary>Duty for <see cref="MaxCurrentMa"/>: 96 %.</summary>
        public const int MaxCurrentDuty = 960;

        /// <summary>
        /// The duty (per-mille) that offers at most <paramref name="currentMa"/>. Returns false and
        /// sets <see cref="Steady"/> (nothing offered) when the current is outside 6-80 A.
        /// </summary>
        public static bool TryFromCurrentMa(int currentMa, out int dutyPermille)
        {
            if (currentMa < MinCurrentMa || currentMa > MaxCurrentMa)
            {
                dutyPermille = Steady;
                return false;
            }

            // per-mille = 10 x A / 0.6 = mA / 60, and 10 x (A / 2.5 + 64) = mA / 250 + 640.
            if (currentMa <= SegmentEdgeMa)
            {
                dutyPermille = currentMa / 60;
                return true;
            }

            // The two formulas disagree at 51 A (85 % vs 84.4 %): up to 52.75 A the second one would
            // offer less than 51 A, so hold 85 % there and the duty never falls as the current rises.
            dutyPermille = currentMa / 250 + 640;
            if (dutyPermille < SegmentEdgeDuty)
            {
                dutyPermille = SegmentEdgeDuty;
            }

            return true;
        }

        /// <summary>
        /// The current in mA a vehicle may draw at <paramref name="dutyPermille"/>; 0 when the duty
        /// offers no current (F, digital communication, steady, or any duty outside 10-96 %).
        /// </summary>
        public static int ToCurrentMa(int dutyPermille)
        {
            if (dutyPermille < MinCurrentDuty || dutyPermille > MaxCurrentDuty)
            {
                return 0;
            }

            return dutyPermille <= SegmentEdgeDuty ? dutyPermille * 60 : (dutyPermille - 640) * 250;
        }
    }
}
