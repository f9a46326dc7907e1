namespace ChargerFirmware.Drivers.Converter
{
    /// <summary>
    /// Why a converter that answers cannot be driven (<see cref="ConverterReading.Problem"/>), each
    /// with the number <see cref="ConverterReading.ProblemDetail"/> carries: a Modbus exception code,
    /// the raw value read, or a model length. A problem stays until the driver finds otherwise (a
    /// write taken, a map with the model), so the fault it raises does not flap while it retries.
    /// </summary>
    public static class ConverterProblems
    {
        /// <summary>Nothing stops the driver.</summary>
        public const int None = 0;

        /// <summary>The device answered at every base address without the "SunS" marker (detail -1), or its model list could not be walked (detail: the base address of the marker).</summary>
        public const int NoSunSpecMap = 1;

        /// <summary>The map has no model 124 (basic storage controls), or a shorter one. Detail: its length, -1 when absent.</summary>
        public const int NoStorageModel = 2;

        /// <summary>The map has no model 714 (DC measurement), or a shorter one. Detail: its length, -1 when absent.</summary>
        public const int NoDcModel = 3;

        /// <summary>Reading model 124 where discovery found it was refused. Detail: the exception code.</summary>
        public const int StorageReadRefused = 4;

        /// <summary>Reading model 714 where discovery found it was refused. Detail: the exception code.</summary>
        public const int DcReadRefused = 5;

        /// <summary>The rates write (OutWRte..InOutWRte_RmpTms, function 16) was refused. Detail: the exception code.</summary>
        public const int RatesWriteRefused = 6;

        /// <summary>StorCtl_Mod could not be written, with function 6 nor 16. Detail: the last exception code.</summary>
        public const int ModeWriteRefused = 7;

        /// <summary>WChaMax is not implemented or 0: no power can be commanded. Detail: the raw value.</summary>
        public const int NoRating = 8;

        /// <summary>WChaMax_SF is not implemented or outside -10..10. Detail: the raw value as int16.</summary>
        public const int BadRatingScale = 9;

        /// <summary>InOutWRte_SF is not implemented or outside -10..10. Detail: the raw value as int16.</summary>
        public const int BadRateScale = 10;

        /// <summary>DCW_SF (model 714) is not implemented or outside -10..10. Detail: the raw value as int16.</summary>
        public const int BadPowerScale = 11;

        /// <summary>Number of problem codes.</summary>
        public const int Count = 12;

        /// <summary>What the problem means and what its detail is, for the technician (allocates: console only).</summary>
        public static string Describe(int problem, int detail)
        {
            switch (problem)
            {
                case None:
                    return "none";
                case NoSunSpecMap:
                    return detail < 0 ? "no SunSpec map (no \"SunS\" at 40000, 0 or 50000)" : "SunSpec map at " + detail.ToString() + " cannot be walked to its end";
                case NoStorageModel:
                    return detail < 0 ? "no model 124 (storage controls) in the map" : "model 124 too short: L " + detail.ToString();
                case NoDcModel:
                    return detail < 0 ? "no model 714 (DC measurement) in the map" : "model 714 too short: L " + detail.ToString();
                case StorageReadRefused:
                    return "reading model 124 refused: exception " + detail.ToString();
                case DcReadRefused:
                    return "reading model 714 refused: exception " + detail.ToString();
                case RatesWriteRefused:
                    return "rates write (InWRte/OutWRte) refused: exception " + detail.ToString();
                case ModeWriteRefused:
                    return "StorCtl_Mod write refused with function 6 and 16: exception " + detail.ToString();
                case NoRating:
                    return "WChaMax not implemented or 0 (raw " + detail.ToString() + ")";
                case BadRatingScale:
                    return "WChaMax_SF missing or out of range (raw " + detail.ToString() + ")";
                case BadRateScale:
                    return "InOutWRte_SF missing or out of range (raw " + detail.ToString() + ")";
                case BadPowerScale:
                    return "DCW_SF missing or out of range (raw " + detail.ToString() + ")";
                default:
                    return "unknown";
            }
        }
    }
}
