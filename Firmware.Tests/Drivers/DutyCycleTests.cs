using ChargerFirmware.Drivers.Pilot;
using Xunit;

namespace ChargerFirmware.Tests.Drivers;

public class DutyCycleTests
{
    [Theory]
    [InlineData(6_000, 100)] // 10 %
    [InlineData(10_000, 166)] // 16.67 % rounded down
    [InlineData(16_000, 266)] // 26.67 %
    [InlineData(32_000, 533)] // 53.33 %
    [InlineData(50_999, 849)]
    [InlineData(51_000, 850)] // 85 %, end of the first segment
    [InlineData(51_001, 850)] // second formula gives 84.4 %: held at 85 %
    [InlineData(52_749, 850)]
    [InlineData(52_750, 851)]
    [InlineData(63_000, 892)] // 89.2 %
    [InlineData(79_999, 959)]
    [InlineData(80_000, 960)] // 96 %
    public void Current_maps_to_the_J1772_duty_rounded_down(int currentMa, int expectedPermille)
    {
        Assert.True(DutyCycle.TryFromCurrentMa(currentMa, out int duty));
        Assert.Equal(expectedPermille, duty);
    }

    [Theory]
    [InlineData(5_999)]
    [InlineData(0)]
    [InlineData(-16_000)]
    [InlineData(80_001)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void Outside_6_to_80_A_there_is_no_duty_and_the_fallback_offers_nothing(int currentMa)
    {
        Assert.False(DutyCycle.TryFromCurrentMa(currentMa, out int duty));
        Assert.Equal(DutyCycle.Steady, duty);
        Assert.Equal(0, DutyCycle.ToCurrentMa(duty));
    }

    [Theory]
    [InlineData(100, 6_000)]
    [InlineData(266, 15_960)]
    [InlineData(533, 31_980)]
    [InlineData(850, 51_000)]
    [InlineData(851, 52_750)]
    [InlineData(960, 80_000)]
    public void Duty_maps_back_to_the_current_the_vehicle_may_draw(int dutyPermille, int expectedMa)
    {
        Assert.Equal(expectedMa, DutyCycle.ToCurrentMa(dutyPermille));
    }

    [Theory]
    [InlineData(DutyCycle.StateF)]
    [InlineData(DutyCycle.DigitalCommunication)]
    [InlineData(99)]
    [InlineData(961)]
    [InlineData(DutyCycle.Steady)]
    [InlineData(-1)]
    [InlineData(1_001)]
    public void Duties_that_offer_no_current_map_to_zero(int dutyPermille)
    {
        Assert.Equal(0, DutyCycle.ToCurrentMa(dutyPermille));
    }

    [Fact]
    public void Special_duties_are_the_documented_values()
    {
        Assert.Equal(0, DutyCycle.StateF);
        Assert.Equal(50, DutyCycle.DigitalCommunication);
        Assert.Equal(1000, DutyCycle.Steady);
    }

    [Fact]
    public void Over_every_mA_from_6_to_80_A_the_vehicle_never_reads_more_and_the_duty_never_falls()
    {
        int previousDuty = 0;
        for (int ma = DutyCycle.MinCurrentMa; ma <= DutyCycle.MaxCurrentMa; ma++)
        {
            Assert.True(DutyCycle.TryFromCurrentMa(ma, out int duty));
            Assert.InRange(duty, DutyCycle.MinCurrentDuty, DutyCycle.MaxCurrentDuty);
            Assert.True(duty >= previousDuty, $"duty fell at {ma} mA");
            int offered = DutyCycle.ToCurrentMa(duty);
            Assert.True(offered <= ma, $"{ma} mA offered as {offered} mA");

            // Rounding costs at most one duty step (60 or 250 mA), or 1.75 A in the 51-52.75 A seam.
            int maxLossMa = ma <= DutyCycle.SegmentEdgeMa ? 60 : ma < 52_750 ? 1_750 : 250;
            Assert.True(ma - offered < maxLossMa, $"{ma} mA offered as only {offered} mA");
            previousDuty = duty;
        }
    }

    [Fact]
    public void Every_current_duty_round_trips()
    {
        for (int duty = DutyCycle.MinCurrentDuty; duty <= DutyCycle.MaxCurrentDuty; duty++)
        {
            Assert.True(DutyCycle.TryFromCurrentMa(DutyCycle.ToCurrentMa(duty), out int back));
            Assert.Equal(duty, back);
        }
    }
}
