using ChargerFirmware.Drivers.Converter;

namespace ChargerFirmware.Faults
{
    /// <summary>
    /// The faults a technician sees, with their names on the wire and the console, and their
    /// policy: self-clearing (retried after a delay once the cause is gone) or latched until a
    /// technician clears it. Codes are bit positions in <see cref="FaultRegistry"/>'s masks.
    /// </summary>
    public static class FaultCode
    {
        /// <summary>Pilot shorted to protective earth (state E, 0 V).</summary>
        public const int PilotShort = 0;

        /// <summary>The pilot line reads -12 V steady while the charger offers (state F): pilot circuit failure.</summary>
        public const int PilotError = 1;

        /// <summary>The pilot reading is missing (ADC failure) or in no band.</summary>
        public const int PilotInvalid = 2;

        /// <summary>The negative half of the pilot PWM is missing: the vehicle's diode is absent or shorted.</summary>
        public const int DiodeCheck = 3;

        /// <summary>The residual current monitor tripped.</summary>
        public const int RcdTrip = 4;

        /// <summary>The residual current monitor failed its self-test (latched).</summary>
        public const int RcdSelfTest = 5;

        /// <summary>The contactor's feedback stayed closed after opening: welded contacts (latched).</summary>
        public const int ContactorWelded = 6;

        /// <summary>The contactor's feedback did not close after closing.</summary>
        public const int ContactorFailed = 7;

        /// <summary>The charger is too hot (71 °C and above).</summary>
        public const int OverTemperature = 8;

        /// <summary>The temperature sensor does not answer.</summary>
        public const int TemperatureSensor = 9;

        /// <summary>The converter reports a fault.</summary>
        public const int Converter = 10;

        /// <summary>The converter does not answer.</summary>
        public const int ConverterLink = 11;

        /// <summary>The vehicle asks for ventilation (state D) and the site has none.</summary>
        public const int Ventilation = 12;

        /// <summary>The control loop stalled and the supervisor forced the safe state (latched).</summary>
        public const int LoopStall = 13;

        /// <summary>Stored settings were missing or corrupt; safe defaults are in use.</summary>
        public const int Settings = 14;

        /// <summary>The converter answers without a SunSpec map (or one that cannot be walked).</summary>
        public const int ConverterNoSunSpec = 15;

        /// <summary>The converter's map has no model 124 (storage controls: the setpoint), or a short one.</summary>
        public const int ConverterNoModel124 = 16;

        /// <summary>The converter's map has no model 714 (DC measurement), or a short one.</summary>
        public const int ConverterNoModel714 = 17;

        /// <summary>The converter refuses to have model 124 or 714 read where its map says they are.</summary>
        public const int ConverterReadRefused = 18;

        /// <summary>The converter refuses the setpoint (the rates) or StorCtl_Mod (with function 6 and 16).</summary>
        public const int ConverterWriteRefused = 19;

        /// <summary>The converter's WChaMax or WChaMax_SF is missing, zero or out of range: no power can be commanded.</summary>
        public const int ConverterRating = 20;

        /// <summary>The converter's InOutWRte_SF or DCW_SF is missing or out of range.</summary>
        public const int ConverterScaleFactor = 21;

        /// <summary>The ISO 15118 module does not answer: no state of charge, plain charging only (warning).</summary>
        public const int ModemLink = 22;

        /// <summary>The device at the ISO 15118 module's address answers with another map or version, or refuses it (warning).</summary>
        public const int ModemMap = 23;

        /// <summary>A flash write fails (full or failing part): each store degrades as documented (orders refused, records held in RAM); clears once writes work again.</summary>
        public const int StorageWrite = 24;

        /// <summary>A stored file was found damaged at start (reported per file; security state failed closed); stays until a technician clears it.</summary>
        public const int StorageDamaged = 25;

        /// <summary>Number of fault codes.</summary>
        public const int Count = 26;

        private static readonly string[] _names =
        {
            "pilot-short", "pilot-error", "pilot-invalid", "diode-check", "rcd-trip", "rcd-selftest",
            "contactor-welded", "contactor-failed", "over-temperature", "temperature-sensor",
            "converter", "converter-link", "ventilation", "loop-stall", "settings",
            "converter-no-sunspec", "converter-no-model-124", "converter-no-model-714", "converter-read-refused",
            "converter-write-refused", "converter-rating", "converter-scale-factor", "modem-link", "modem-map",
            "storage-write", "storage-damaged",
        };

        /// <summary>Faults that stay until a technician clears them.</summary>
        public const int LatchedMask = (1 << RcdSelfTest) | (1 << ContactorWelded) | (1 << LoopStall) | (1 << StorageDamaged);

        /// <summary>
        /// Faults that only report a condition and do not stop charging: without the ISO 15118
        /// module the charger still charges plainly (no state of charge, so no sharing); a
        /// failing or damaged flash degrades each store as it documents.
        /// </summary>
        public const int WarningMask = (1 << Settings) | (1 << ModemLink) | (1 << ModemMap)
            | (1 << StorageWrite) | (1 << StorageDamaged);

        /// <summary>The first of the faults that say why an answering converter cannot be driven.</summary>
        public const int FirstConverterProblem = ConverterNoSunSpec;

        /// <summary>The last of the faults that say why an answering converter cannot be driven.</summary>
        public const int LastConverterProblem = ConverterScaleFactor;

        /// <summary>The wire and console name of <paramref name="code"/>.</summary>
        public static string Name(int code)
        {
            return code >= 0 && code < Count ? _names[code] : "unknown";
        }

        /// <summary>The code named <paramref name="name"/>, or -1.</summary>
        public static int Parse(string name)
        {
            for (int i = 0; i < Count; i++)
            {
                if (_names[i] == name)
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>The fault that a converter problem (a <c>ConverterProblems</c> code) raises, or -1 for none.</summary>
        public static int ForConverterProblem(int problem)
        {
            switch (problem)
            {
                case ConverterProblems.NoSunSpecMap:
                    return ConverterNoSunSpec;
                case ConverterProblems.NoStorageModel:
                    return ConverterNoModel124;
                case ConverterProblems.NoDcModel:
                    return ConverterNoModel714;
                case ConverterProblems.StorageReadRefused:
                case ConverterProblems.DcReadRefused:
                    return ConverterReadRefused;
                case ConverterProblems.RatesWriteRefused:
                case ConverterProblems.ModeWriteRefused:
                    return ConverterWriteRefused;
                case ConverterProblems.NoRating:
                case ConverterProblems.BadRatingScale:
                    return ConverterRating;
                case ConverterProblems.BadRateScale:
                case ConverterProblems.BadPowerScale:
                    return ConverterScaleFactor;
                default:
                    return -1;
            }
        }

        /// <summary>True when <paramref name="code"/> latches.</summary>
        public static bool IsLatched(int code)
        {
            return (LatchedMask & (1 << code)) != 0;
        }
    }
}
