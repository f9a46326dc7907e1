using ChargerFirmware.Drivers.Temperature;
using Xunit;

namespace ChargerFirmware.Tests.Drivers;

public class ThermalDeratingTests
{
    [Theory]
    [InlineData(-400, 1000, false)]
    [InlineData(649, 1000, false)]
    [InlineData(650, 500, false)]
    [InlineData(679, 500, false)]
    [InlineData(680, 250, false)]
    [InlineData(709, 250, false)]
    [InlineData(710, 0, true)]
    [InlineData(1_200, 0, true)]
    public void Rising_temperature_steps_at_65_68_and_71_C(int deciC, int permille, bool fault)
    {
        var derating = new ThermalDerating();
        Assert.Equal(permille, derating.Update(deciC));
        Assert.Equal(permille, derating.AllowedPermille);
        Assert.Equal(fault, derating.OverTemperature);
    }

    [Fact]
    public void Falling_temperature_leaves_each_step_only_2_C_below_its_threshold()
    {
        var derating = new ThermalDerating();
        derating.Update(720);
        Assert.Equal(0, derating.Update(690));
        Assert.True(derating.OverTemperature);
        Assert.Equal(250, derating.Update(689));
        Assert.False(derating.OverTemperature);
        Assert.Equal(250, derating.Update(660));
        Assert.Equal(500, derating.Update(659));
        Assert.Equal(500, derating.Update(630));
        Assert.Equal(1000, derating.Update(629));
    }

    [Fact]
    public void Within_the_hysteresis_the_step_holds_while_rising_again_steps_at_once()
    {
        var derating = new ThermalDerating();
        derating.Update(650);
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(500, derating.Update(i % 2 == 0 ? 640 : 649));
        }

        Assert.Equal(250, derating.Update(680));
    }

    [Fact]
    public void A_large_drop_skips_straight_to_the_right_step()
    {
        var derating = new ThermalDerating();
        derating.Update(750);
        Assert.Equal(1000, derating.Update(400));

        derating.Update(750);
        Assert.Equal(500, derating.Update(655));
    }

    [Fact]
    public void Thresholds_and_hysteresis_are_configurable_and_checked()
    {
        var derating = new ThermalDerating(500, 550, 600, 50);
        Assert.Equal(500, derating.Update(500));
        Assert.Equal(500, derating.Update(450));
        Assert.Equal(1000, derating.Update(449));

        Assert.Throws<ArgumentException>(() => new ThermalDerating(680, 650, 710, 20));
        Assert.Throws<ArgumentException>(() => new ThermalDerating(650, 710, 710, 20));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ThermalDerating(650, 680, 710, -1));
    }
}
