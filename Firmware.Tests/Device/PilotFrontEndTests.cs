using ChargerFirmware.Drivers.Analog;
using ChargerFirmware.Drivers.Pilot;
using Xunit;

namespace ChargerFirmware.Tests.Device;

public class PilotFrontEndTests
{
    private static readonly AdcCalibration NominalAdc = new(0, 0, 4095, 3300, 4095);

    private static PilotFrontEnd Board(AdcCalibration adc) =>
        new(PilotNetwork.R1, PilotNetwork.R2, PilotNetwork.R3, PilotNetwork.ReferenceMv, adc);

    private static int RawFor(double pilotMv) => (int)Math.Round(PilotNetwork.AdcMillivolts(pilotMv) * 4095 / 3300);

    [Theory]
    [InlineData(12000)]
    [InlineData(9000)]
    [InlineData(6000)]
    [InlineData(3000)]
    [InlineData(0)]
    [InlineData(-12000)]
    public void Pilot_levels_come_back_within_one_adc_step(int pilotMv)
    {
        var frontEnd = Board(NominalAdc);
        int measured = frontEnd.PilotMillivolts(NominalAdc.ToMillivolts(RawFor(pilotMv)));
        // One count is 0.81 mV at the pin, about 9 mV of pilot.
        Assert.InRange(measured, pilotMv - 15, pilotMv + 15);
    }

    [Fact]
    public void Integer_formula_matches_the_resistor_network_everywhere()
    {
        var frontEnd = Board(NominalAdc);
        var random = new Random(7565893);
        for (int i = 0; i < 2000; i++)
        {
            int adcMv = random.Next(0, 3301);
            Assert.InRange(frontEnd.PilotMillivolts(adcMv) - PilotNetwork.PilotMillivolts(adcMv), -1.0, 1.0);
        }
    }

    [Fact]
    public void Burst_reduces_to_its_high_and_low_plateaus()
    {
        // 5 % duty in state B: a few readings at +9 V among many at -12 V, and one on a slewing edge.
        int[] raw = new int[40];
        Array.Fill(raw, RawFor(-12000));
        raw[10] = RawFor(9000);
        raw[11] = RawFor(9000);
        raw[12] = RawFor(1500);
        var sample = new PilotSample();

        Assert.True(Board(NominalAdc).Reduce(raw, raw.Length, sample));

        Assert.InRange(sample.HighMv, 8985, 9015);
        Assert.InRange(sample.LowMv, -12015, -11985);
    }

    [Fact]
    public void Steady_level_gives_equal_plateaus()
    {
        int[] raw = Enumerable.Repeat(RawFor(12000), PilotFrontEnd.MinSamples).ToArray();
        var sample = new PilotSample();

        Assert.True(Board(NominalAdc).Reduce(raw, raw.Length, sample));

        Assert.Equal(sample.HighMv, sample.LowMv);
    }

    [Fact]
    public void Burst_shorter_than_the_minimum_is_refused_and_leaves_the_sample_alone()
    {
        int[] raw = Enumerable.Repeat(RawFor(9000), 64).ToArray();
        var sample = new PilotSample { HighMv = 1, LowMv = 2 };

        Assert.False(Board(NominalAdc).Reduce(raw, PilotFrontEnd.MinSamples - 1, sample));
        Assert.False(Board(NominalAdc).Reduce(raw, raw.Length + 1, sample));

        Assert.Equal(1, sample.HighMv);
        Assert.Equal(2, sample.LowMv);
    }

    [Fact]
    public void Board_calibration_removes_the_adc_gain_and_offset_error()
    {
        // An ADC reading 3 % high with a 40 mV offset, calibrated at two known voltages.
        static int Raw(double mv) => (int)Math.Round(((mv * 1.03) + 40) * 4095 / 3300);
        var calibrated = new AdcCalibration(Raw(500), 500, Raw(2000), 2000, 4095);

        int measured = Board(calibrated).PilotMillivolts(calibrated.ToMillivolts(Raw(PilotNetwork.AdcMillivolts(6000))));

        Assert.InRange(measured, 5985, 6015);
    }

    [Fact]
    public void Clipped_adc_reads_beyond_any_pilot_state()
    {
        var frontEnd = Board(NominalAdc);
        Assert.True(frontEnd.PilotMillivolts(NominalAdc.ToMillivolts(4095)) > 13000);
        Assert.True(frontEnd.PilotMillivolts(NominalAdc.ToMillivolts(0)) < -13000);
    }

    [Theory]
    [InlineData(0, false, 0)]
    [InlineData(1000, false, 1000)]
    [InlineData(50, false, 50)]
    [InlineData(533, true, 467)]
    [InlineData(0, true, 1000)]
    [InlineData(-5, false, 0)]
    [InlineData(1200, false, 1000)]
    [InlineData(1200, true, 0)]
    public void Pin_duty_follows_the_pilot_duty_through_the_driver(int pilotPermille, bool inverting, int pinPermille)
    {
        Assert.Equal(pinPermille, PilotDrive.PinDutyPermille(pilotPermille, inverting));
    }
}
