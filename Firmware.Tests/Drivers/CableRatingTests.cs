using ChargerFirmware.Drivers.Proximity;
using Xunit;

namespace ChargerFirmware.Tests.Drivers;

public class CableRatingTests
{
    [Theory]
    [InlineData(int.MinValue, 0)]
    [InlineData(0, 0)] // shorted PP
    [InlineData(79, 0)]
    [InlineData(80, 63)]
    [InlineData(100, 63)]
    [InlineData(139, 63)]
    [InlineData(140, 32)] // shared edge: the smaller rating
    [InlineData(220, 32)]
    [InlineData(307, 32)]
    [InlineData(308, 20)]
    [InlineData(680, 20)]
    [InlineData(935, 20)]
    [InlineData(936, 13)]
    [InlineData(1_500, 13)]
    [InlineData(2_460, 13)]
    [InlineData(2_461, 0)]
    [InlineData(1_000_000, 0)] // open circuit: no cable
    [InlineData(int.MaxValue, 0)]
    public void Resistance_bands_give_the_cable_rating(int ohms, int amps)
    {
        Assert.Equal(amps, CableRating.FromOhms(ohms));
    }
}
