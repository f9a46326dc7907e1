namespace ChargerFirmware.Protocol.Messages
{
    /// <summary>The value ranges of the contract (also stated in Protocol/schemas); decoding refuses values outside them.</summary>
    public static class Limits
    {
        /// <summary>Longest id, session id, nonce, vehicle id, reason code, fault or preset name: 1..64 visible ASCII ('!'..'~').</summary>
        public const int MaxTokenLength = 64;

        /// <summary>Largest power magnitude in W (setpointW, powerW, appliedW: -100000..100000).</summary>
        public const int MaxPowerW = 100000;

        /// <summary>Longest dispatch in seconds (durationS: 1..86400).</summary>
        public const int MaxDurationS = 86400;

        /// <summary>Steepest ramp in W per second (rampWps: 1..200000).</summary>
        public const int MaxRampWps = 200000;

        /// <summary>Highest price per kWh in milli-currency (prices: 0..1,000,000.000).</summary>
        public const long MaxPriceMilli = 1000000000;

        /// <summary>Largest counter (Wh, milli-currency amounts, ledger ids): 2^53-1, exact in every JSON implementation.</summary>
        public const long MaxCounter = 9007199254740991;

        /// <summary>Largest dispatch sequence number (seq: 1..2^53-1, so JavaScript holds every one exactly).</summary>
        public const long MaxSeq = MaxCounter;

        /// <summary>Most fault names one status carries.</summary>
        public const int MaxFaults = 16;

        /// <summary>Highest voltage in mV (voltageV: 0..1000).</summary>
        public const int MaxVoltageMilliV = 1000000;

        /// <summary>Largest current magnitude in mA (currentA: -1000..1000, negative while discharging).</summary>
        public const int MaxCurrentMilliA = 1000000;

        /// <summary>Lowest temperature in deci-Celsius (temperatureC: -100.0..200.0).</summary>
        public const int MinTemperatureDeciC = -1000;

        /// <summary>Highest temperature in deci-Celsius.</summary>
        public const int MaxTemperatureDeciC = 2000;
    }
}
