using ChargerFirmware.Drivers.Analog;
using Xunit;

namespace ChargerFirmware.Tests.Device;

public class AnalogTests
{
    [Theory]
    [InlineData(7, 2, 4)]
    [InlineData(5, 2, 3)]
    [InlineData(-5, 2, -3)]
    [InlineData(-7, 2, -4)]
    [InlineData(4, 3, 1)]
    [InlineData(-4, 3, -1)]
    [InlineData(0, 9, 0)]
    public void Division_rounds_half_away_from_zero(long numerator, long denominator, long expected)
    {
        Assert.Equal(expected, IntegerMath.DivideRounded(numerator, denominator));
    }

    [Fact]
    public void Calibration_is_the_line_through_its_two_points()
    {
        var adc = new AdcCalibration(200, 250, 3000, 2500, 4095);

        Assert.Equal(250, adc.ToMillivolts(200));
        Assert.Equal(2500, adc.ToMillivolts(3000));
        Assert.Equal(1375, adc.ToMillivolts(1600));
        Assert.Equal(89, adc.ToMillivolts(0));
        Assert.Equal(4095, adc.MaxRaw);
    }

    [Theory]
    [InlineData(100, 100)]
    [InlineData(0, 4096)]
    [InlineData(3000, 200)]
    public void Calibration_refuses_points_that_define_no_rising_line(int rawLow, int rawHigh)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdcCalibration(rawLow, 0, rawHigh, 3300, 4095));
    }

    [Fact]
    public void Calibration_refuses_a_falling_voltage()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdcCalibration(0, 3300, 4095, 0, 4095));
    }

    [Theory]
    [InlineData(1250, 10000)]
    [InlineData(500, 2500)]
    [InlineData(2000, 40000)]
    [InlineData(0, 0)]
    [InlineData(-20, 0)]
    [InlineData(2500, ResistanceSense.Open)]
    [InlineData(2600, ResistanceSense.Open)]
    public void Lower_resistor_follows_the_divider_equation(int nodeMv, int ohms)
    {
        var sense = new ResistanceSense(new AdcCalibration(0, 0, 4095, 3300, 4095), 2500, 10000);
        Assert.Equal(ohms, sense.OhmsFromMillivolts(nodeMv));
    }

    [Fact]
    public void Node_a_hair_below_the_reference_reads_huge_but_finite()
    {
        var sense = new ResistanceSense(new AdcCalibration(0, 0, 4095, 3300, 4095), 2500, 10000);
        Assert.Equal(24_990_000, sense.OhmsFromMillivolts(2499));
    }

    [Fact]
    public void Readings_are_averaged_before_conversion()
    {
        var sense = new ResistanceSense(new AdcCalibration(0, 0, 3300, 3300, 4095), 3300, 1000);
        int[] raw = [1600, 1700, 1650, 1650];

        Assert.Equal(1000, sense.OhmsFromRaw(raw, raw.Length));
        Assert.Equal(941, sense.OhmsFromRaw(raw, 1)); // 1000 x 1600 / (3300 - 1600)
    }

    [Fact]
    public void Any_clipped_reading_means_open()
    {
        var sense = new ResistanceSense(new AdcCalibration(0, 0, 4095, 3300, 4095), 3300, 1000);
        int[] raw = [400, 4095, 400];

        Assert.Equal(ResistanceSense.Open, sense.OhmsFromRaw(raw, raw.Length));
        Assert.Throws<ArgumentOutOfRangeException>(() => sense.OhmsFromRaw(raw, 0));
    }
}
