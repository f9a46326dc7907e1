using ChargerFirmware.Drivers.Temperature;
using Xunit;

namespace ChargerFirmware.Tests.Device;

public class NtcThermistorTests
{
    private static double BetaOhms(double celsius) => 10000 * Math.Exp(3950 * ((1 / (celsius + 273.15)) - (1 / 298.15)));

    [Fact]
    public void Table_follows_the_b_equation_within_a_quarter_degree()
    {
        for (int deci = -400; deci <= 1250; deci++)
        {
            int ohms = (int)Math.Round(BetaOhms(deci / 10.0));
            Assert.True(NtcThermistor.TryDeciCelsius(ohms, out int measured), deci.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.InRange(measured, deci - 3, deci + 3);
        }
    }

    [Theory]
    [InlineData(10000, 250)]
    [InlineData(401860, -400)]
    [InlineData(359, 1250)]
    [InlineData(2086, 650)]
    public void Table_points_read_exactly(int ohms, int deciCelsius)
    {
        Assert.True(NtcThermistor.TryDeciCelsius(ohms, out int measured));
        Assert.Equal(deciCelsius, measured);
    }

    [Theory]
    [InlineData(401861)] // colder than -40 °C: an open sensor
    [InlineData(int.MaxValue)]
    [InlineData(358)] // hotter than 125 °C: a shorted sensor
    [InlineData(0)]
    public void Outside_the_table_is_a_sensor_failure(int ohms)
    {
        Assert.False(NtcThermistor.TryDeciCelsius(ohms, out _));
    }

    [Fact]
    public void Warmer_reads_higher_everywhere()
    {
        int previous = int.MinValue;
        for (int ohms = 401860; ohms >= 359; ohms -= 97)
        {
            Assert.True(NtcThermistor.TryDeciCelsius(ohms, out int deci));
            Assert.True(deci >= previous);
            previous = deci;
        }

        Assert.Equal(1250, NtcThermistor.LastDeciCelsius);
    }
}
