namespace ChargerFirmware.Protocol.Json
{
    /// <summary>
    /// RFC 3339 timestamps as Unix milliseconds, without DateTime: writes UTC with a "Z" (milliseconds
    /// only when not zero) and reads "Z" or a ±hh:mm offset with any fraction (kept to the millisecond,
    /// truncated). Calendar arithmetic is proleptic Gregorian (H. Hinnant's days-from-civil), so leap
    /// years, including century rules, come out right for every year 0001..9999.
    /// </summary>
    public static class Rfc3339
    {
        /// <summary>0001-01-01T00:00:00Z, the earliest instant a four-digit year can carry.</summary>
        public const long MinUnixMs = -62135596800000;

        /// <summary>9999-12-31T23:59:59.999Z, the latest instant a four-digit year can carry.</summary>
        public const long MaxUnixMs = 253402300799999;

        /// <summary>Longest text <see cref="Format"/> writes: "YYYY-MM-DDTHH:MM:SS.fffZ".</summary>
        public const int MaxFormattedLength = 24;

        private const long MsPerDay = 86400000;

        /// <summary>
        /// Writes <paramref name="unixMs"/> as ASCII into <paramref name="buffer"/> from
        /// <paramref name="offset"/>, using no byte at or past <paramref name="end"/>. Returns the
        /// number of bytes written, or -1 when the time is outside 0001..9999 or does not fit.
        /// </summary>
        public static int Format(long unixMs, byte[] buffer, int offset, int end)
        {
            if (unixMs < MinUnixMs || unixMs > MaxUnixMs)
            {
                return -1;
            }

            long days = unixMs / MsPerDay;
            long msOfDay = unixMs - days * MsPerDay;
            if (msOfDay < 0)
            {
                days--;
                msOfDay += MsPerDay;
            }

            int millis = (int)(msOfDay % 1000);
            int length = millis == 0 ? 20 : 24;
            if (offset < 0 || end - offset < length)
            {
                return -1;
            }

            CivilFromDays(days, out int year, out int month, out int day);
            int seconds = (int)(msOfDay / 1000);
            Digits(buffer, offset, year, 4);
            buffer[offset + 4] = (byte)'-';
            Digits(buffer, offset + 5, month, 2);
            buffer[offset + 7] = (byte)'-';
            Digits(buffer, offset + 8, day, 2);
            buffer[offset + 10] = (byte)'T';
            Digits(buffer, offset + 11, seconds / 3600, 2);
            buffer[offset + 13] = (byte)':';
            Digits(buffer, offset + 14, seconds / 60 % 60, 2);
            buffer[offset + 16] = (byte)':';
            Digits(buffer, offset + 17, seconds % 60, 2);
            if (millis != 0)
            {
                buffer[offset + 19] = (byte)'.';
                Digits(buffer, offset + 20, millis, 3);
            }

            buffer[offset + length - 1] = (byte)'Z';
            return length;
        }

        /// <summary>
        /// Parses the ASCII text <paramref name="text"/>[<paramref name="offset"/>, +<paramref name="length"/>)
        /// as an RFC 3339 date-time ("T"/"t", "Z"/"z" or ±hh:mm, optional fraction of 1-9 digits).
        /// Rejects impossible dates (2023-02-29), leap seconds and results outside 0001..9999 UTC.
        /// </summary>
        public static bool TryParse(byte[] text, int offset, int length, out long unixMs)
        {
            unixMs = 0;
            if (length < 20 || offset < 0 || offset + length > text.Length)
            {
                return false;
            }

            int year = Number(text, offset, 4);
            int month = Number(text, offset + 5, 2);
            int day = Number(text, offset + 8, 2);
            int hour = Number(text, offset + 11, 2);
            int minute = Number(text, offset + 14, 2);
            int second = Number(text, offset + 17, 2);
            byte t = text[offset + 10];
            if (year < 1 || month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59
                || text[offset + 4] != '-' || text[offset + 7] != '-' || (t != 'T' && t != 't')
                || text[offset + 13] != ':' || text[offset + 16] != ':')
            {
                return false;
            }

            int position = offset + 19;
            int finish = offset + length;
            int millis = 0;
            if (text[position] == '.')
            {
                position++;
                int digits = 0;
                while (position < finish && text[position] >= '0' && text[position] <= '9')
                {
                    if (digits < 3)
                    {
                        millis = millis * 10 + (text[position] - '0');
                    }

                    digits++;
                    position++;
                }

                if (digits == 0 || digits > 9)
                {
                    return false;
                }

                for (int pad = digits; pad < 3; pad++)
                {
                    millis *= 10;
                }
            }

            if (!TryParseOffset(text, position, finish, out int offsetMinutes))
            {
                return false;
            }

            long local = DaysFromCivil(year, month, day) * MsPerDay
                + ((hour * 60L + minute) * 60 + second) * 1000 + millis;
            unixMs = local - offsetMinutes * 60000L;
            return unixMs >= MinUnixMs && unixMs <= MaxUnixMs;
        }

        /// <summary>Days from 1970-01-01 to the given proleptic Gregorian date (negative before it).</summary>
        public static long DaysFromCivil(int year, int month, int day)
        {
            long y = month <= 2 ? year - 1 : year;
            long era = (y >= 0 ? y : y - 399) / 400;
            long yearOfEra = y - era * 400;
            long dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
            long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
            return era * 146097 + dayOfEra - 719468;
        }

        /// <summary>The proleptic Gregorian date <paramref name="days"/> days after 1970-01-01.</summary>
        public static void CivilFromDays(long days, out int year, out int month, out int day)
        {
            long z = days + 719468;
            long era = (z >= 0 ? z : z - 146096) / 146097;
            long dayOfEra = z - era * 146097;
            long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
            long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
            long monthIndex = (5 * dayOfYear + 2) / 153;
            day = (int)(dayOfYear - (153 * monthIndex + 2) / 5 + 1);
            month = (int)(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9);
            year = (int)(yearOfEra + era * 400 + (month <= 2 ? 1 : 0));
        }

        /// <summary>Days in <paramref name="month"/> (1-12) of <paramref name="year"/>, leap years included.</summary>
        public static int DaysInMonth(int year, int month)
        {
            if (month == 2)
            {
                bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
                return leap ? 29 : 28;
            }

            return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
        }

        private static bool TryParseOffset(byte[] text, int position, int finish, out int offsetMinutes)
        {
            offsetMinutes = 0;
            if (finish - position == 1)
            {
                return text[position] == 'Z' || text[position] == 'z';
            }

            if (finish - position != 6)
            {
                return false;
            }

            byte sign = text[position];
            if ((sign != '+' && sign != '-') || text[position + 3] != ':')
            {
                return false;
            }

            int hours = Number(text, position + 1, 2);
            int minutes = Number(text, position + 4, 2);
            if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59)
            {
                return false;
            }

            offsetMinutes = hours * 60 + minutes;
            if (sign == '-')
            {
                offsetMinutes = -offsetMinutes;
            }

            return true;
        }

        // Reads `count` ASCII digits; -1 if any is not a digit.
        private static int Number(byte[] text, int offset, int count)
        {
            int value = 0;
            for (int i = 0; i < count; i++)
            {
                int digit = text[offset + i] - '0';
                if (digit < 0 || digit > 9)
                {
                    return -1;
                }

                value = value * 10 + digit;
            }

            return value;
        }

        private static void Digits(byte[] buffer, int offset, int value, int count)
        {
            for (int i = count - 1; i >= 0; i--)
            {
                buffer[offset + i] = (byte)('0' + value % 10);
                value /= 10;
            }
        }
    }
}
