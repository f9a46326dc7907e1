using ChargerFirmware.Conditions;
using ChargerFirmware.Protocol.Json;

namespace ChargerFirmware.TechConsole
{
    /// <summary>
    /// Parsers for what a technician types: whole numbers, fixed-point decimals ("25.5"), on/off,
    /// weekly days ("mon-fri", "sat,sun", "daily"), times of day ("22:00-06:00") and dates
    /// (RFC 3339 or YYYY-MM-DD). None throws: each says false on anything it does not accept.
    /// </summary>
    public static class ConsoleText
    {
        private const long MsPerDay = 86400000;
        private const int MaxDigits = 18;

        private static readonly string[] DayNames = { "sun", "mon", "tue", "wed", "thu", "fri", "sat" };

        /// <summary>Parses an optional '-' and 1 to 18 decimal digits.</summary>
        public static bool TryParseLong(string text, out long value)
        {
            return TryParseScaled(text, 0, out value);
        }

        /// <summary>
        /// Parses a decimal with at most <paramref name="decimals"/> fraction digits into the value times
        /// 10^<paramref name="decimals"/>: ("25.5", 3) gives 25500.
        /// </summary>
        public static bool TryParseScaled(string text, int decimals, out long value)
        {
            value = 0;
            if (text == null || text.Length == 0)
            {
                return false;
            }

            int at = 0;
            bool negative = text[0] == '-';
            if (negative)
            {
                at = 1;
            }

            int digits = 0;
            int fraction = -1;
            for (; at < text.Length; at++)
            {
                char ch = text[at];
                if (ch == '.' && fraction < 0 && decimals > 0 && digits > 0)
                {
                    fraction = 0;
                    continue;
                }

                if (ch < '0' || ch > '9' || digits == MaxDigits || fraction == decimals)
                {
                    return false;
                }

                value = (value * 10) + (ch - '0');
                digits++;
                if (fraction >= 0)
                {
                    fraction++;
                }
            }

            if (digits == 0 || fraction == 0)
            {
                return false;
            }

            for (int i = fraction < 0 ? 0 : fraction; i < decimals; i++)
            {
                if (value > long.MaxValue / 10)
                {
                    return false;
                }

                value *= 10;
            }

            value = negative ? -value : value;
            return true;
        }

        /// <summary>Parses on/off, true/false, yes/no or 1/0.</summary>
        public static bool TryParseOnOff(string text, out bool value)
        {
            value = text == "on" || text == "true" || text == "yes" || text == "1";
            return value || text == "off" || text == "false" || text == "no" || text == "0";
        }

        /// <summary>
        /// Parses days as a comma list of day names (sun..sat), ranges ("mon-fri", "fri-mon" wraps) and
        /// the words daily, weekdays and weekend into a <see cref="DayMasks"/> mask.
        /// </summary>
        public static bool TryParseDays(string text, out int mask)
        {
            mask = 0;
            int start = 0;
            while (start <= text.Length)
            {
                int end = text.IndexOf(',', start);
                if (end < 0)
                {
                    end = text.Length;
                }

                int part = DaysOfPart(text.Substring(start, end - start));
                if (part == 0)
                {
                    mask = 0;
                    return false;
                }

                mask |= part;
                start = end + 1;
            }

            return mask != 0;
        }

        /// <summary>The console form of a day mask: daily, weekdays, weekend, or a comma list of day names.</summary>
        public static void WriteDays(ConsoleWriter output, int mask)
        {
            if (mask == DayMasks.EveryDay)
            {
                output.Text("daily");
                return;
            }

            if (mask == DayMasks.Weekdays)
            {
                output.Text("weekdays");
                return;
            }

            if (mask == DayMasks.Weekend)
            {
                output.Text("weekend");
                return;
            }

            bool first = true;
            for (int d = 0; d < 7; d++)
            {
                if ((mask & (1 << d)) != 0)
                {
                    if (!first)
                    {
                        output.Char(',');
                    }

                    output.Text(DayNames[d]);
                    first = false;
                }
            }
        }

        /// <summary>Parses "HH:MM-HH:MM" into start (0..1439) and end (1..1440, "24:00" allowed) minutes of the day.</summary>
        public static bool TryParseTimeRange(string text, out int startMinute, out int endMinute)
        {
            startMinute = 0;
            endMinute = 0;
            return text.Length == 11 && text[5] == '-'
                && TryParseTime(text, 0, out startMinute) && startMinute < TimeWindows.MinutesPerDay
                && TryParseTime(text, 6, out endMinute) && endMinute > 0;
        }

        /// <summary>Writes a minute of the day as HH:MM.</summary>
        public static void WriteTime(ConsoleWriter output, int minute)
        {
            output.Char((char)('0' + (minute / 600)));
            output.Char((char)('0' + (minute / 60 % 10)));
            output.Char(':');
            output.Char((char)('0' + (minute % 60 / 10)));
            output.Char((char)('0' + (minute % 10)));
        }

        /// <summary>
        /// Parses a date-time: RFC 3339 (an instant), or YYYY-MM-DD as the local midnight starting that
        /// day (<paramref name="utcOffsetMinutes"/> ahead of UTC), or the midnight ending it when
        /// <paramref name="endOfDay"/>.
        /// </summary>
        public static bool TryParseDate(string text, int utcOffsetMinutes, bool endOfDay, out long unixMs)
        {
            unixMs = 0;
            if (text.Length == 10)
            {
                int year;
                int month;
                int day;
                if (text[4] != '-' || text[7] != '-' || !Digits(text, 0, 4, out year) || !Digits(text, 5, 2, out month)
                    || !Digits(text, 8, 2, out day) || year < 1 || month < 1 || month > 12 || day < 1
                    || day > Rfc3339.DaysInMonth(year, month))
                {
                    return false;
                }

                long days = Rfc3339.DaysFromCivil(year, month, day) + (endOfDay ? 1 : 0);
                unixMs = (days * MsPerDay) - (utcOffsetMinutes * 60000L);
                return true;
            }

            if (text.Length > 40)
            {
                return false;
            }

            byte[] bytes = new byte[text.Length];
            for (int i = 0; i < text.Length; i++)
            {
                bytes[i] = (byte)text[i];
            }

            return Rfc3339.TryParse(bytes, 0, bytes.Length, out unixMs);
        }

        private static int DaysOfPart(string part)
        {
            switch (part)
            {
                case "daily":
                    return DayMasks.EveryDay;
                case "weekdays":
                    return DayMasks.Weekdays;
                case "weekend":
                    return DayMasks.Weekend;
            }

            int dash = part.IndexOf('-');
            if (dash < 0)
            {
                int day = DayIndex(part);
                return day < 0 ? 0 : 1 << day;
            }

            int from = DayIndex(part.Substring(0, dash));
            int to = DayIndex(part.Substring(dash + 1));
            if (from < 0 || to < 0)
            {
                return 0;
            }

            int mask = 0;
            for (int d = from; ; d = (d + 1) % 7)
            {
                mask |= 1 << d;
                if (d == to)
                {
                    return mask;
                }
            }
        }

        private static int DayIndex(string name)
        {
            for (int d = 0; d < 7; d++)
            {
                if (DayNames[d] == name)
                {
                    return d;
                }
            }

            return -1;
        }

        private static bool TryParseTime(string text, int at, out int minute)
        {
            minute = 0;
            int hours;
            int minutes;
            if (text[at + 2] != ':' || !Digits(text, at, 2, out hours) || !Digits(text, at + 3, 2, out minutes) || minutes > 59)
            {
                return false;
            }

            minute = (hours * 60) + minutes;
            return minute <= TimeWindows.MinutesPerDay;
        }

        private static bool Digits(string text, int at, int count, out int value)
        {
            value = 0;
            for (int i = at; i < at + count; i++)
            {
                char ch = text[i];
                if (ch < '0' || ch > '9')
                {
                    return false;
                }

                value = (value * 10) + (ch - '0');
            }

            return true;
        }
    }
}
