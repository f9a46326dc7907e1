using ChargerFirmware.Conditions;

namespace ChargerFirmware.Tests.Conditions;

/// <summary>An independent check of time windows on the .NET calendar (not the firmware's integer arithmetic).</summary>
internal static class WindowOracle
{
    public static bool IsInside(TimeWindows windows, long utcMs, int offsetMinutes)
    {
        if (windows.Count == 0)
        {
            return true;
        }

        DateTimeOffset local = DateTimeOffset.FromUnixTimeMilliseconds(utcMs).ToOffset(TimeSpan.FromMinutes(offsetMinutes));
        int minute = (local.Hour * 60) + local.Minute;
        int today = 1 << (int)local.DayOfWeek;
        int yesterday = 1 << (int)local.AddDays(-1).DayOfWeek;
        for (int i = 0; i < windows.Count; i++)
        {
            int start = windows.StartMinute(i);
            int end = windows.EndMinute(i);
            int length = end > start ? end - start : end + 1440 - start;
            if ((windows.DayMask(i) & today) != 0 && minute >= start && minute < start + length)
            {
                return true;
            }

            if ((windows.DayMask(i) & yesterday) != 0 && minute + 1440 >= start && minute + 1440 < start + length)
            {
                return true;
            }
        }

        return false;
    }
}
