using System.Globalization;
using System.Text;
using ChargerFirmware.Protocol.Json;
using Xunit;

namespace ChargerFirmware.Tests.Protocol;

public class Rfc3339Tests
{
    [Theory]
    [InlineData(0L, "1970-01-01T00:00:00Z")]
    [InlineData(1798761600000L, "2027-01-01T00:00:00Z")]
    [InlineData(951782400000L, "2000-02-29T00:00:00Z")]
    [InlineData(4107542400000L, "2100-03-01T00:00:00Z")]
    [InlineData(-1L, "1969-12-31T23:59:59.999Z")]
    [InlineData(1798761600250L, "2027-01-01T00:00:00.250Z")]
    [InlineData(Rfc3339.MinUnixMs, "0001-01-01T00:00:00Z")]
    [InlineData(Rfc3339.MaxUnixMs, "9999-12-31T23:59:59.999Z")]
    public void Formats_known_instants(long unixMs, string expected)
    {
        Assert.Equal(expected, Format(unixMs));
        Assert.Equal(unixMs, Parse(expected));
    }

    [Fact]
    public void Formats_and_parses_random_instants_like_DateTimeOffset_over_the_whole_range()
    {
        var rng = new Random(3339);
        for (int i = 0; i < 100_000; i++)
        {
            long ms = rng.NextInt64(Rfc3339.MinUnixMs, Rfc3339.MaxUnixMs + 1);
            if (i % 2 == 0)
            {
                ms -= ((ms % 1000) + 1000) % 1000;
            }

            string text = Format(ms);
            Assert.Equal(StjReference.Time(ms), text);
            Assert.Equal(ms, Parse(text));
        }
    }

    [Fact]
    public void Every_day_from_year_1_to_9999_matches_the_dotnet_calendar()
    {
        for (var date = DateOnly.MinValue; ; date = date.AddDays(1))
        {
            long days = date.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;
            Assert.Equal(days, Rfc3339.DaysFromCivil(date.Year, date.Month, date.Day));
            Rfc3339.CivilFromDays(days, out int year, out int month, out int day);
            if (year != date.Year || month != date.Month || day != date.Day)
            {
                Assert.Fail($"{date:yyyy-MM-dd} came back as {year}-{month}-{day}");
            }

            if (date.Day == 1)
            {
                Assert.Equal(DateTime.DaysInMonth(year, month), Rfc3339.DaysInMonth(year, month));
            }

            if (date == DateOnly.MaxValue)
            {
                break;
            }
        }
    }

    [Fact]
    public void Offsets_and_fractions_are_converted_to_the_same_instant()
    {
        var rng = new Random(17);
        for (int i = 0; i < 20_000; i++)
        {
            var offset = TimeSpan.FromMinutes(rng.Next(-14 * 60, 14 * 60 + 1));
            var local = new DateTime(rng.NextInt64(DateTime.MinValue.AddYears(1).Ticks, DateTime.MaxValue.AddYears(-1).Ticks) / 10_000 * 10_000);
            var instant = new DateTimeOffset(local, offset);
            string text = instant.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
            Assert.Equal(instant.ToUnixTimeMilliseconds(), Parse(text));
        }

        Assert.Equal(100, Parse("1970-01-01T00:00:00.1Z"));
        Assert.Equal(123, Parse("1970-01-01T00:00:00.123456789Z"));
        Assert.Equal(999, Parse("1970-01-01T00:00:00.9999Z"));
        Assert.Equal(0, Parse("1970-01-01t00:00:00z"));
        Assert.Equal(0, Parse("1970-01-01T00:00:00-00:00"));
        Assert.Equal(-3_600_000, Parse("1970-01-01T00:00:00+01:00"));
        Assert.Equal(-(23 * 60 + 59) * 60_000L, Parse("1970-01-01T00:00:00+23:59"));
        Assert.Equal((23 * 60 + 59) * 60_000L, Parse("1970-01-01T00:00:00-23:59"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("2027-01-01")]
    [InlineData("2027-01-01T00:00:00")]
    [InlineData("2027-01-01T00:00Z")]
    [InlineData("2027-01-01 00:00:00Z")]
    [InlineData("2027-1-01T00:00:00Z")]
    [InlineData("2027-00-01T00:00:00Z")]
    [InlineData("2027-13-01T00:00:00Z")]
    [InlineData("2027-01-00T00:00:00Z")]
    [InlineData("2027-01-32T00:00:00Z")]
    [InlineData("2027-02-29T00:00:00Z")]
    [InlineData("1900-02-29T00:00:00Z")]
    [InlineData("2027-04-31T00:00:00Z")]
    [InlineData("2027-01-01T24:00:00Z")]
    [InlineData("2027-01-01T00:60:00Z")]
    [InlineData("2027-01-01T00:00:60Z")]
    [InlineData("2027-01-01T00:00:00.Z")]
    [InlineData("2027-01-01T00:00:00.1234567890Z")]
    [InlineData("2027-01-01T00:00:00+01")]
    [InlineData("2027-01-01T00:00:00+0100")]
    [InlineData("2027-01-01T00:00:00+24:00")]
    [InlineData("2027-01-01T00:00:00+01:60")]
    [InlineData("2027-01-01T00:00:00ZZ")]
    [InlineData("2027-01-01T00:00:00Z ")]
    [InlineData("+2027-01-01T00:00:00Z")]
    [InlineData("0000-01-01T00:00:00Z")]
    [InlineData("0001-01-01T00:00:00+00:01")]
    [InlineData("9999-12-31T23:59:59-00:01")]
    [InlineData("2027-01-01T00:00:00\u00bdZ")]
    public void Refuses_what_is_not_an_rfc3339_time_in_range(string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        Assert.False(Rfc3339.TryParse(bytes, 0, bytes.Length, out _));
    }

    [Fact]
    public void Format_refuses_times_outside_four_digit_years_and_buffers_too_small()
    {
        var buffer = new byte[Rfc3339.MaxFormattedLength];
        Assert.Equal(-1, Rfc3339.Format(Rfc3339.MinUnixMs - 1, buffer, 0, buffer.Length));
        Assert.Equal(-1, Rfc3339.Format(Rfc3339.MaxUnixMs + 1, buffer, 0, buffer.Length));
        Assert.Equal(-1, Rfc3339.Format(1, buffer, 1, buffer.Length));
        Assert.Equal(-1, Rfc3339.Format(0, buffer, 5, buffer.Length));
        Assert.Equal(20, Rfc3339.Format(0, buffer, 4, buffer.Length));
    }

    private static string Format(long unixMs)
    {
        var buffer = new byte[Rfc3339.MaxFormattedLength];
        int length = Rfc3339.Format(unixMs, buffer, 0, buffer.Length);
        Assert.True(length > 0);
        return Encoding.ASCII.GetString(buffer, 0, length);
    }

    private static long Parse(string text)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(text);
        Assert.True(Rfc3339.TryParse(bytes, 0, bytes.Length, out long unixMs), text);
        return unixMs;
    }
}
