namespace ChargerFirmware.Aggregator.Accounts;

/// <summary>The driver's weekly windows: when the aggregator may use the car.</summary>
public static class DriverWindows
{
    /// <summary>
    /// True when every minute of [<paramref name="fromMs"/>, <paramref name="toMs"/>) (UTC) lies in
    /// one of <paramref name="windows"/> (local time, <paramref name="utcOffsetMinutes"/> east of UTC);
    /// no windows at all means any time.
    /// </summary>
    public static bool Cover(IReadOnlyList<DriverWindow> windows, long fromMs, long toMs, int utcOffsetMinutes)
    {
        if (windows.Count == 0)
        {
            return true;
        }

        for (long t = fromMs; t < toMs; t += 60_000)
        {
            if (!windows.Any(w => Contains(w, t, utcOffsetMinutes)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when the instant <paramref name="utcMs"/> lies in <paramref name="w"/>.</summary>
    public static bool Contains(DriverWindow w, long utcMs, int utcOffsetMinutes)
    {
        long localMinutes = Math.DivRem((utcMs / 60_000) + utcOffsetMinutes, 1440, out long minuteOfDay);
        if (minuteOfDay < 0)
        {
            minuteOfDay += 1440;
            localMinutes--;
        }

        // 1970-01-01 was a Thursday: day 0 → Thursday (Monday-based index 3).
        int day = (int)(((localMinutes % 7) + 7 + 3) % 7);
        if (w.StartMin < w.EndMin)
        {
            return Has(w, day) && minuteOfDay >= w.StartMin && minuteOfDay < w.EndMin;
        }

        // Past midnight: the evening part on the window's day, the morning part on the next day.
        int previous = (day + 6) % 7;
        return (Has(w, day) && minuteOfDay >= w.StartMin) || (Has(w, previous) && minuteOfDay < w.EndMin);
    }

    private static bool Has(DriverWindow w, int mondayBasedDay) => (w.DaysMask & (1 << mondayBasedDay)) != 0;
}
