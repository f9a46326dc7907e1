using ChargerFirmware.Conditions;
using Xunit;

namespace ChargerFirmware.Tests.Conditions;

public class TimeWindowsTests
{
    private const int Jst = 540;

    private static long Utc(int year, int month, int day, int hour, int minute) =>
        new DateTimeOffset(year, month, day, hour, minute, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    // Local wall time at the given offset, as Unix ms.
    private static long Local(int offsetMinutes, int year, int month, int day, int hour, int minute) =>
        new DateTimeOffset(year, month, day, hour, minute, 0, TimeSpan.FromMinutes(offsetMinutes)).ToUnixTimeMilliseconds();

    [Fact]
    public void An_empty_list_is_always_inside()
    {
        var windows = new TimeWindows();
        Assert.True(windows.IsInside(0, 0));
        Assert.True(windows.IsInside(Utc(2027, 3, 14, 3, 7), Jst));
    }

    [Fact]
    public void The_Unix_epoch_was_a_Thursday_at_midnight()
    {
        Assert.Equal(4, TimeWindows.DayOfWeek(0, 0));
        Assert.Equal(0, TimeWindows.MinuteOfDay(0, 0));
        Assert.Equal(3, TimeWindows.DayOfWeek(-1, 0));
        Assert.Equal(1439, TimeWindows.MinuteOfDay(-1, 0));
    }

    [Fact]
    public void Day_of_week_and_minute_match_the_calendar_for_random_instants_and_offsets()
    {
        var random = new Random(1234);
        for (int i = 0; i < 20_000; i++)
        {
            long utcMs = random.NextInt64(-2_000_000_000_000, 4_000_000_000_000);
            int offset = random.Next(TimeWindows.MinUtcOffsetMinutes, TimeWindows.MaxUtcOffsetMinutes + 1);
            DateTimeOffset local = DateTimeOffset.FromUnixTimeMilliseconds(utcMs).ToOffset(TimeSpan.FromMinutes(offset));
            Assert.Equal((int)local.DayOfWeek, TimeWindows.DayOfWeek(utcMs, offset));
            Assert.Equal((local.Hour * 60) + local.Minute, TimeWindows.MinuteOfDay(utcMs, offset));
        }
    }

    [Fact]
    public void A_window_within_a_day_includes_its_start_and_excludes_its_end()
    {
        var windows = new TimeWindows();
        Assert.True(windows.Add(DayMasks.Monday, 9 * 60, 17 * 60));

        // 2027-01-04 is a Monday.
        Assert.False(windows.IsInside(Utc(2027, 1, 4, 8, 59), 0));
        Assert.True(windows.IsInside(Utc(2027, 1, 4, 9, 0), 0));
        Assert.True(windows.IsInside(Utc(2027, 1, 4, 16, 59), 0));
        Assert.False(windows.IsInside(Utc(2027, 1, 4, 17, 0), 0));
        Assert.False(windows.IsInside(Utc(2027, 1, 5, 10, 0), 0));
        Assert.False(windows.IsInside(Utc(2027, 1, 3, 10, 0), 0));
    }

    [Fact]
    public void A_window_across_midnight_runs_from_its_day_into_the_next()
    {
        var windows = new TimeWindows();
        Assert.True(windows.Add(DayMasks.Friday, 22 * 60, 6 * 60));

        // 2027-01-08 is a Friday.
        Assert.False(windows.IsInside(Utc(2027, 1, 8, 21, 59), 0));
        Assert.True(windows.IsInside(Utc(2027, 1, 8, 22, 0), 0));
        Assert.True(windows.IsInside(Utc(2027, 1, 8, 23, 59), 0));
        Assert.True(windows.IsInside(Utc(2027, 1, 9, 0, 0), 0));
        Assert.True(windows.IsInside(Utc(2027, 1, 9, 5, 59), 0));
        Assert.False(windows.IsInside(Utc(2027, 1, 9, 6, 0), 0));
        Assert.False(windows.IsInside(Utc(2027, 1, 8, 3, 0), 0)); // Friday early morning belongs to Thursday's night
        Assert.False(windows.IsInside(Utc(2027, 1, 9, 22, 30), 0)); // Saturday night is not masked
    }

    [Fact]
    public void An_end_at_1440_runs_to_midnight()
    {
        var windows = new TimeWindows();
        Assert.True(windows.Add(DayMasks.Sunday, 20 * 60, TimeWindows.MinutesPerDay));

        // 2027-01-03 is a Sunday.
        Assert.True(windows.IsInside(Utc(2027, 1, 3, 23, 59), 0));
        Assert.False(windows.IsInside(Utc(2027, 1, 4, 0, 0), 0));
        Assert.False(windows.IsInside(Utc(2027, 1, 3, 19, 59), 0));
    }

    [Fact]
    public void Days_are_counted_in_the_chargers_local_time()
    {
        var windows = new TimeWindows();
        Assert.True(windows.Add(DayMasks.Monday, 0, 60));

        // Sunday 15:30 UTC is Monday 00:30 in Japan.
        long instant = Utc(2027, 1, 3, 15, 30);
        Assert.False(windows.IsInside(instant, 0));
        Assert.True(windows.IsInside(instant, Jst));
        Assert.Equal(1, TimeWindows.DayOfWeek(instant, Jst));

        // Monday 00:30 in New York (UTC-5) is Monday 05:30 UTC.
        Assert.True(windows.IsInside(Local(-300, 2027, 1, 4, 0, 30), -300));
        Assert.False(windows.IsInside(Local(-300, 2027, 1, 4, 0, 30), 0));
    }

    [Fact]
    public void A_midnight_crossing_window_follows_the_local_day_with_an_offset()
    {
        var windows = new TimeWindows();
        Assert.True(windows.Add(DayMasks.Saturday, 23 * 60, 1 * 60));
        Assert.True(windows.IsInside(Local(Jst, 2027, 1, 9, 23, 0), Jst));
        Assert.True(windows.IsInside(Local(Jst, 2027, 1, 10, 0, 59), Jst));
        Assert.False(windows.IsInside(Local(Jst, 2027, 1, 10, 1, 0), Jst));
        Assert.False(windows.IsInside(Local(Jst, 2027, 1, 9, 0, 30), Jst));
    }

    [Theory]
    [InlineData(0, 0, 60)]
    [InlineData(128, 0, 60)]
    [InlineData(1, -1, 60)]
    [InlineData(1, 1440, 60)]
    [InlineData(1, 0, 0)]
    [InlineData(1, 0, 1441)]
    [InlineData(1, 600, 600)]
    public void Invalid_windows_are_refused(int mask, int start, int end)
    {
        var windows = new TimeWindows();
        Assert.False(windows.Add(mask, start, end));
        Assert.Equal(0, windows.Count);
    }

    [Fact]
    public void The_list_holds_at_most_its_capacity()
    {
        var windows = new TimeWindows();
        for (int i = 0; i < TimeWindows.Capacity; i++)
        {
            Assert.True(windows.Add(DayMasks.EveryDay, i, i + 1));
        }

        Assert.False(windows.Add(DayMasks.EveryDay, 100, 200));
        Assert.Equal(TimeWindows.Capacity, windows.Count);
    }

    [Fact]
    public void Random_windows_agree_with_a_calendar_oracle()
    {
        var random = new Random(99);
        for (int set = 0; set < 500; set++)
        {
            var windows = new TimeWindows();
            int count = random.Next(1, 4);
            while (windows.Count < count)
            {
                windows.Add(random.Next(1, 128), random.Next(0, 1440), random.Next(1, 1441));
            }

            int offset = random.Next(-720, 841);
            for (int probe = 0; probe < 40; probe++)
            {
                long utcMs = random.NextInt64(1_700_000_000_000, 1_900_000_000_000);
                Assert.Equal(WindowOracle.IsInside(windows, utcMs, offset), windows.IsInside(utcMs, offset));
            }

            // And on every edge, a minute either side, on each day of a week.
            long localMidnight = Local(offset, 2027, 1, 3, 0, 0);
            for (int day = 0; day < 8; day++)
            {
                for (int w = 0; w < windows.Count; w++)
                {
                    foreach (int edge in new[] { windows.StartMinute(w), windows.EndMinute(w) })
                    {
                        for (int delta = -1; delta <= 1; delta++)
                        {
                            long utcMs = localMidnight + (((day * 1440L) + edge + delta) * 60_000);
                            Assert.Equal(WindowOracle.IsInside(windows, utcMs, offset), windows.IsInside(utcMs, offset));
                        }
                    }
                }
            }
        }
    }
}
