using ChargerFirmware.Conditions;
using ChargerFirmware.TechConsole;
using Xunit;

namespace ChargerFirmware.Tests.TechConsole;

public class ConsoleTextTests
{
    [Theory]
    [InlineData("25", 3, 25000)]
    [InlineData("25.5", 3, 25500)]
    [InlineData("0.125", 3, 125)]
    [InlineData("-7", 0, -7)]
    [InlineData("50.5", 1, 505)]
    [InlineData("999999999999999999", 0, 999999999999999999)]
    public void Parses_decimals(string text, int decimals, long expected)
    {
        Assert.True(ConsoleText.TryParseScaled(text, decimals, out long value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("", 3)]
    [InlineData("-", 0)]
    [InlineData("1.", 3)]
    [InlineData(".5", 3)]
    [InlineData("1.2345", 3)]
    [InlineData("1.5", 0)]
    [InlineData("1e3", 0)]
    [InlineData("1 000", 0)]
    [InlineData("9999999999999999999", 0)]
    [InlineData("999999999999999999", 3)]
    [InlineData("+5", 0)]
    public void Refuses_what_is_not_a_decimal(string text, int decimals)
    {
        Assert.False(ConsoleText.TryParseScaled(text, decimals, out _));
    }

    [Theory]
    [InlineData("mon-fri", DayMasks.Weekdays)]
    [InlineData("weekdays", DayMasks.Weekdays)]
    [InlineData("sat,sun", DayMasks.Weekend)]
    [InlineData("daily", DayMasks.EveryDay)]
    [InlineData("fri-mon", DayMasks.Friday | DayMasks.Saturday | DayMasks.Sunday | DayMasks.Monday)]
    [InlineData("wed", DayMasks.Wednesday)]
    [InlineData("mon,wed-thu,weekend", DayMasks.Monday | DayMasks.Wednesday | DayMasks.Thursday | DayMasks.Weekend)]
    public void Parses_days(string text, int mask)
    {
        Assert.True(ConsoleText.TryParseDays(text, out int parsed));
        Assert.Equal(mask, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("mon,")]
    [InlineData(",mon")]
    [InlineData("monday")]
    [InlineData("mon-")]
    [InlineData("Mon")]
    public void Refuses_unknown_days(string text)
    {
        Assert.False(ConsoleText.TryParseDays(text, out _));
    }

    [Theory]
    [InlineData("22:00-06:00", 1320, 360)]
    [InlineData("00:00-24:00", 0, 1440)]
    [InlineData("09:30-17:45", 570, 1065)]
    public void Parses_time_ranges(string text, int start, int end)
    {
        Assert.True(ConsoleText.TryParseTimeRange(text, out int s, out int e));
        Assert.Equal((start, end), (s, e));
    }

    [Theory]
    [InlineData("24:00-06:00")]
    [InlineData("22:00-00:00")]
    [InlineData("22:60-06:00")]
    [InlineData("2200-0600")]
    [InlineData("22:00_06:00")]
    [InlineData("25:00-26:00")]
    public void Refuses_bad_time_ranges(string text)
    {
        Assert.False(ConsoleText.TryParseTimeRange(text, out _, out _));
    }

    [Fact]
    public void Dates_are_local_days_and_a_to_date_includes_its_day()
    {
        const long midnightUtc = 1_798_761_600_000; // 2027-01-01T00:00:00Z
        Assert.True(ConsoleText.TryParseDate("2027-01-01", 540, false, out long from));
        Assert.Equal(midnightUtc - 540 * 60_000L, from);
        Assert.True(ConsoleText.TryParseDate("2027-01-01", 540, true, out long to));
        Assert.Equal(from + 86_400_000, to);
        Assert.True(ConsoleText.TryParseDate("2027-01-01T09:00:00+09:00", 0, false, out long instant));
        Assert.Equal(midnightUtc, instant);
        Assert.False(ConsoleText.TryParseDate("2027-02-29", 0, false, out _));
        Assert.False(ConsoleText.TryParseDate("2027-13-01", 0, false, out _));
        Assert.False(ConsoleText.TryParseDate("yesterday", 0, false, out _));
    }
}
