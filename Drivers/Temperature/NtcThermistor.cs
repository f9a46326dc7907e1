using ChargerFirmware.Drivers.Analog;

namespace ChargerFirmware.Drivers.Temperature
{
    /// <summary>
    /// Resistance to temperature for the reference board's NTC: 10 kΩ at 25 °C, B = 3950 K (the common
    /// "10k 3950" epoxy or ring-lug sensor). The table holds R(T) = 10 kΩ x e^(3950 x (1/T - 1/298.15))
    /// every 5 °C from -40 to +125 °C; between entries the temperature is interpolated linearly, within
    /// 0.25 °C of the B-equation. Another part needs its own table.
    /// </summary>
    public static class NtcThermistor
    {
        /// <summary>Temperature of the first table entry, in deci-Celsius.</summary>
        public const int FirstDeciCelsius = -400;

        /// <summary>Temperature step between table entries, in deci-Celsius.</summary>
        public const int StepDeciCelsius = 50;

        // Ohms at -40, -35, ... +125 °C (falling: an NTC's resistance drops as it warms).
        private static readonly int[] s_ohms =
        {
            401860, 281577, 200204, 144317, 105385, 77898, 58246, 44026, 33621, 25925,
            20175, 15837, 12535, 10000, 8037, 6506, 5301, 4348, 3588, 2978,
            2486, 2086, 1760, 1492, 1270, 1087, 934, 805, 698, 606,
            529, 463, 407, 359,
        };

        /// <summary>Temperature of the last table entry, in deci-Celsius.</summary>
        public static int LastDeciCelsius
        {
            get { return FirstDeciCelsius + ((s_ohms.Length - 1) * StepDeciCelsius); }
        }

        /// <summary>
        /// The temperature for <paramref name="ohms"/>. Returns false outside -40..+125 °C: an open
        /// sensor reads colder than the table, a shorted one hotter, and both are sensor failures.
        /// </summary>
        public static bool TryDeciCelsius(int ohms, out int deciCelsius)
        {
            deciCelsius = 0;
            if (ohms > s_ohms[0] || ohms < s_ohms[s_ohms.Length - 1])
            {
                return false;
            }

            int i = 0;
            while (s_ohms[i + 1] > ohms)
            {
                i++;
            }

            int upper = s_ohms[i];
            int lower = s_ohms[i + 1];
            int offset = (int)IntegerMath.DivideRounded((long)(upper - ohms) * StepDeciCelsius, upper - lower);
            deciCelsius = FirstDeciCelsius + (i * StepDeciCelsius) + offset;
            return true;
        }
    }
}
