using ChargerFirmware.Protocol.Json;

namespace ChargerFirmware.Panel
{
    /// <summary>
    /// How the panel writes numbers for a driver: money to the currency's minor unit (ISO 4217: 0
    /// decimals for JPY and KRW, 3 for BHD, JOD, KWD, OMR and TND, else 2), prices per kWh with two
    /// more decimals (at most three), energy in kWh, power in kW, local dates and times (the
    /// charger's UTC offset). Every method builds a new string: call them when drawing, never per tick.
    /// </summary>
    public static class PanelText
    {
        private const long MsPerMinute = 60000;
        private const long MsPerDay = 86400000;

        /// <summary>Decimals of <paramref name="currency"/>'s minor unit.</summary>
        public static int MinorDigits(string currency)
        {
            if (currency == "JPY" || currency == "KRW" || currency == "ISK" || currency == "VND" || currency == "CLP")
            {
                return 0;
            }

            if (currency == "BHD" || currency == "JOD" || currency == "KWD" || currency == "OMR" || currency == "TND")
            {
                return 3;
            }

            return 2;
        }

        /// <summary>The step of a price condition on the panel, milli-currency: one minor unit per kWh (1 JPY, 0.01 EUR).</summary>
        public static int PriceStepMilli(string currency)
        {
            int digits = MinorDigits(currency);
            return digits == 0 ? 1000 : (digits == 1 ? 100 : (digits == 2 ? 10 : 1));
        }

        /// <summary>A money amount in milli-currency rounded to the minor unit (half away from zero): 13500 JPY as "14", -1234 EUR as "-1.23".</summary>
        public static string Money(long milli, string currency)
        {
            return Fixed(RoundToMinor(milli, currency), MinorDigits(currency));
        }

        /// <summary>The amount rounded to the minor unit, counted in minor units (13500 milli-JPY is 14).</summary>
        public static long RoundToMinor(long milli, string currency)
        {
            long unit = 1;
            for (int i = MinorDigits(currency); i < 3; i++)
            {
                unit *= 10;
            }

            long magnitude = milli < 0 ? -milli : milli;
            long rounded = (magnitude + (unit / 2)) / unit;
            return milli < 0 ? -rounded : rounded;
        }

        /// <summary>A minor-unit count as a signed amount ("+14" / "-1.23"), for balances.</summary>
        public static string SignedMinor(long minor, string currency)
        {
            string text = Fixed(minor, MinorDigits(currency));
            return minor > 0 ? "+" + text : text;
        }

        /// <summary>A minor-unit count as a decimal of <paramref name="currency"/>: 1234 EUR cents as "12.34".</summary>
        public static string Minor(long minor, string currency)
        {
            return Fixed(minor, MinorDigits(currency));
        }

        /// <summary>A price per kWh in milli-currency with the currency's minor digits plus two (at most three): 25000 JPY as "25.00", 254 EUR as "0.254".</summary>
        public static string Price(long milli, string currency)
        {
            int digits = MinorDigits(currency) + 2;
            if (digits > 3)
            {
                digits = 3;
            }

            long value = milli;
            for (int i = digits; i < 3; i++)
            {
                value /= 10;
            }

            return Fixed(value, digits);
        }

        /// <summary>Per-mille as whole percent, rounded down: 455 as "45 %".</summary>
        public static string Percent(int permille)
        {
            return (permille / 10).ToString() + " %";
        }

        /// <summary>Energy in Wh as kWh with two decimals, rounded down: 3215 as "3.21 kWh".</summary>
        public static string Kwh(long wh)
        {
            return Fixed(wh / 10, 2) + " kWh";
        }

        /// <summary>Power in W as kW with one decimal and no sign: -7360 as "7.4 kW".</summary>
        public static string Kw(int watts)
        {
            long magnitude = watts < 0 ? -(long)watts : watts;
            return Fixed((magnitude + 50) / 100, 1) + " kW";
        }

        /// <summary>A duration as "45 min" or "1 h 05 min" (rounded up to the minute).</summary>
        public static string Duration(long ms)
        {
            long minutes = (ms + MsPerMinute - 1) / MsPerMinute;
            if (minutes < 60)
            {
                return minutes.ToString() + " min";
            }

            long rest = minutes % 60;
            return (minutes / 60).ToString() + " h " + (rest < 10 ? "0" : string.Empty) + rest.ToString() + " min";
        }

        /// <summary>Local time of day "HH:MM" of <paramref name="utcMs"/>.</summary>
        public static string Clock(long utcMs, int utcOffsetMinutes)
        {
            long local = utcMs + (utcOffsetMinutes * MsPerMinute);
            long minuteOfDay = FloorMod(local, MsPerDay) / MsPerMinute;
            return TimeOfDay((int)minuteOfDay);
        }

        /// <summary>A minute of the day as "HH:MM" (1440 as "24:00").</summary>
        public static string TimeOfDay(int minuteOfDay)
        {
            int hours = minuteOfDay / 60;
            int minutes = minuteOfDay % 60;
            return Two(hours) + ":" + Two(minutes);
        }

        /// <summary>The local day number (days since 1970-01-01 in local time) of <paramref name="utcMs"/>.</summary>
        public static long LocalDay(long utcMs, int utcOffsetMinutes)
        {
            long local = utcMs + (utcOffsetMinutes * MsPerMinute);
            return (local - FloorMod(local, MsPerDay)) / MsPerDay;
        }

        /// <summary>The UTC instant at which local day <paramref name="day"/> begins.</summary>
        public static long DayStartUtcMs(long day, int utcOffsetMinutes)
        {
            return (day * MsPerDay) - (utcOffsetMinutes * MsPerMinute);
        }

        /// <summary>A local day as "2027-03-14".</summary>
        public static string Date(long day)
        {
            int year;
            int month;
            int dayOfMonth;
            Rfc3339.CivilFromDays(day, out year, out month, out dayOfMonth);
            return year.ToString() + "-" + Two(month) + "-" + Two(dayOfMonth);
        }

        /// <summary>A local day as "03-14" (month and day).</summary>
        public static string ShortDate(long day)
        {
            int year;
            int month;
            int dayOfMonth;
            Rfc3339.CivilFromDays(day, out year, out month, out dayOfMonth);
            return Two(month) + "-" + Two(dayOfMonth);
        }

        /// <summary>A short session number a driver can read out: the session id's last six characters in capitals.</summary>
        public static string ShortSession(string sessionId)
        {
            if (sessionId == null || sessionId.Length == 0)
            {
                return "-";
            }

            string tail = sessionId.Length > 6 ? sessionId.Substring(sessionId.Length - 6) : sessionId;
            char[] chars = tail.ToCharArray();
            for (int i = 0; i < chars.Length; i++)
            {
                if (chars[i] >= 'a' && chars[i] <= 'z')
                {
                    chars[i] = (char)(chars[i] - 32);
                }
            }

            return new string(chars);
        }

        /// <summary><paramref name="value"/> with <paramref name="decimals"/> implied decimals: (1234, 2) as "12.34", (-5, 1) as "-0.5".</summary>
        public static string Fixed(long value, int decimals)
        {
            bool negative = value < 0;
            ulong magnitude = negative ? (ulong)(-(value + 1)) + 1 : (ulong)value;
            if (decimals <= 0)
            {
                return (negative ? "-" : string.Empty) + magnitude.ToString();
            }

            ulong scale = 1;
            for (int i = 0; i < decimals; i++)
            {
                scale *= 10;
            }

            string fraction = (magnitude % scale).ToString();
            while (fraction.Length < decimals)
            {
                fraction = "0" + fraction;
            }

            return (negative ? "-" : string.Empty) + (magnitude / scale).ToString() + "." + fraction;
        }

        private static string Two(int value)
        {
            return (value < 10 ? "0" : string.Empty) + value.ToString();
        }

        private static long FloorMod(long value, long divisor)
        {
            long rest = value % divisor;
            return rest < 0 ? rest + divisor : rest;
        }
    }
}
