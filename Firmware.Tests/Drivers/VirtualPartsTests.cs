using ChargerFirmware.Drivers.Pilot;
using ChargerFirmware.VirtualHardware;
using Xunit;
using S = ChargerFirmware.Drivers.Pilot.PilotState;

namespace ChargerFirmware.Tests.Drivers;

public class VirtualPartsTests
{
    private static (int High, int Low) Read(VirtualPilot pilot)
    {
        var sample = new PilotSample();
        Assert.True(pilot.Sample(sample));
        return (sample.HighMv, sample.LowMv);
    }

    [Theory]
    [InlineData(S.A, 12_000)]
    [InlineData(S.B, 9_000)]
    [InlineData(S.C, 6_000)]
    [InlineData(S.D, 3_000)]
    public void Pilot_follows_the_car_and_the_EVSE_output(int carState, int levelMv)
    {
        var pilot = new VirtualPilot { CarState = carState };
        Assert.Equal((levelMv, levelMv), Read(pilot));

        pilot.SetDutyPermille(533);
        Assert.Equal((levelMv, -12_000), Read(pilot));

        pilot.SetDutyPermille(DutyCycle.StateF);
        Assert.Equal((-12_000, -12_000), Read(pilot));
    }

    [Fact]
    public void Pilot_readings_classify_as_the_car_state_and_pass_the_diode_check()
    {
        var classifier = new PilotClassifier();
        var pilot = new VirtualPilot { NoiseMv = 300 };
        pilot.SetDutyPermille(266);
        foreach (int carState in new[] { S.A, S.B, S.C, S.D })
        {
            pilot.CarState = carState;
            for (int i = 0; i < 100; i++)
            {
                var (high, low) = Read(pilot);
                Assert.Equal(carState, classifier.Classify(high, S.Invalid));
                Assert.False(classifier.DiodeCheckFailed(carState, low, pilot.DutyPermille));
            }
        }
    }

    [Fact]
    public void Pilot_without_diode_fails_the_diode_check()
    {
        var classifier = new PilotClassifier();
        var pilot = new VirtualPilot { CarState = S.C, DiodePresent = false };
        pilot.SetDutyPermille(266);
        var (high, low) = Read(pilot);
        Assert.Equal((6_000, -6_000), (high, low));
        Assert.True(classifier.DiodeCheckFailed(classifier.Classify(high, S.Invalid), low, 266));
    }

    [Fact]
    public void Pilot_faults_adc_short_and_override()
    {
        var pilot = new VirtualPilot { CarState = S.B };
        pilot.AdcFailed = true;
        Assert.False(pilot.Sample(new PilotSample()));
        pilot.AdcFailed = false;

        pilot.Shorted = true;
        Assert.Equal((0, 0), Read(pilot));
        pilot.Shorted = false;

        pilot.OverrideMv(10_000, -3_000);
        Assert.Equal((10_000, -3_000), Read(pilot));
        pilot.ClearOverride();
        Assert.Equal((9_000, 9_000), Read(pilot));
    }

    [Fact]
    public void Pilot_noise_is_bounded_and_seeded()
    {
        var first = new VirtualPilot(7) { NoiseMv = 100 };
        var second = new VirtualPilot(7) { NoiseMv = 100 };
        for (int i = 0; i < 200; i++)
        {
            var reading = Read(first);
            Assert.Equal(reading, Read(second));
            Assert.InRange(reading.High, 11_900, 12_100);
        }
    }

    [Fact]
    public void Pilot_tells_the_offered_current_and_refuses_bad_inputs()
    {
        var pilot = new VirtualPilot();
        pilot.SetDutyPermille(533);
        Assert.Equal(31_980, pilot.OfferedCurrentMa);
        Assert.Throws<ArgumentOutOfRangeException>(() => pilot.SetDutyPermille(1_001));
        Assert.Throws<ArgumentOutOfRangeException>(() => pilot.CarState = S.E);
    }

    [Fact]
    public void Contactor_feedback_follows_at_once_or_after_its_delays()
    {
        var instant = new VirtualContactor();
        instant.Drive(true);
        Assert.True(instant.FeedbackClosed);

        var clock = new ManualClock();
        var slow = new VirtualContactor(clock, 30, 20);
        slow.Drive(true);
        clock.Advance(29);
        Assert.False(slow.FeedbackClosed);
        clock.Advance(1);
        Assert.True(slow.FeedbackClosed);
        slow.Drive(false);
        clock.Advance(19);
        Assert.True(slow.FeedbackClosed);
        clock.Advance(1);
        Assert.False(slow.FeedbackClosed);
        Assert.Equal(2, slow.Operations);
    }

    [Fact]
    public void Contactor_weld_keeps_feedback_closed_and_stuck_open_never_closes()
    {
        var contactor = new VirtualContactor();
        contactor.Drive(true);
        contactor.Welded = true;
        contactor.Drive(false);
        Assert.True(contactor.FeedbackClosed);

        contactor.Welded = false;
        contactor.StuckOpen = true;
        contactor.Drive(true);
        Assert.False(contactor.FeedbackClosed);
    }

    [Fact]
    public void Rcd_trips_on_its_test_unless_broken_and_on_real_current()
    {
        var rcd = new VirtualRcd();
        rcd.DriveTest(true);
        Assert.True(rcd.Tripped);
        rcd.DriveTest(false);
        Assert.False(rcd.Tripped);

        rcd.SelfTestBroken = true;
        rcd.DriveTest(true);
        Assert.False(rcd.Tripped);
        rcd.DriveTest(false);

        rcd.ResidualCurrent = true;
        Assert.True(rcd.Tripped);
        Assert.Equal(2, rcd.TestsDriven);
    }

    [Fact]
    public void Temperature_and_proximity_read_their_values_or_fail()
    {
        var temperature = new VirtualTemperature { DeciCelsius = 655 };
        Assert.True(temperature.TryRead(out int deciC));
        Assert.Equal(655, deciC);
        temperature.Failed = true;
        Assert.False(temperature.TryRead(out _));

        var proximity = new VirtualProximity();
        Assert.True(proximity.TryReadOhms(out int ohms));
        Assert.Equal(220, ohms);
        proximity.Ohms = VirtualProximity.OpenCircuitOhms;
        Assert.True(proximity.TryReadOhms(out ohms));
        Assert.Equal(VirtualProximity.OpenCircuitOhms, ohms);
        proximity.Failed = true;
        Assert.False(proximity.TryReadOhms(out _));
    }
}
