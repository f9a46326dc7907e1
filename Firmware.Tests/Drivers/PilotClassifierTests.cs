using ChargerFirmware.Drivers.Pilot;
using Xunit;
using S = ChargerFirmware.Drivers.Pilot.PilotState;

namespace ChargerFirmware.Tests.Drivers;

public class PilotClassifierTests
{
    private readonly PilotClassifier _classifier = new();

    [Theory]
    [InlineData(13_001, S.Invalid)]
    [InlineData(13_000, S.A)]
    [InlineData(12_000, S.A)]
    [InlineData(10_480, S.A)]
    [InlineData(10_479, S.B)]
    [InlineData(9_000, S.B)]
    [InlineData(7_425, S.B)]
    [InlineData(7_424, S.C)]
    [InlineData(6_000, S.C)]
    [InlineData(4_365, S.C)]
    [InlineData(4_364, S.D)]
    [InlineData(3_000, S.D)]
    [InlineData(1_310, S.D)]
    [InlineData(1_309, S.E)]
    [InlineData(0, S.E)]
    [InlineData(-1_310, S.E)]
    [InlineData(-1_311, S.Invalid)]
    [InlineData(-6_000, S.Invalid)]
    [InlineData(-10_479, S.Invalid)]
    [InlineData(-10_480, S.F)]
    [InlineData(-12_000, S.F)]
    [InlineData(-13_000, S.F)]
    [InlineData(-13_001, S.Invalid)]
    [InlineData(int.MaxValue, S.Invalid)]
    [InlineData(int.MinValue, S.Invalid)]
    public void Every_band_edge_falls_on_its_documented_side(int highMv, int expected)
    {
        Assert.Equal(S.Name(expected), S.Name(_classifier.Classify(highMv, S.Invalid)));
    }

    [Theory]
    [InlineData(11_400, 12_600, S.A)]
    [InlineData(8_360, 9_560, S.B)]
    [InlineData(5_480, 6_490, S.C)]
    [InlineData(2_620, 3_250, S.D)]
    [InlineData(-12_600, -11_400, S.F)]
    public void The_whole_J1772_band_of_each_state_classifies_as_that_state(int fromMv, int toMv, int expected)
    {
        for (int mv = fromMv; mv <= toMv; mv += 10)
        {
            Assert.Equal(expected, _classifier.Classify(mv, S.Invalid));
        }
    }

    // Each internal edge: (edge = lowest mV of the upper state, upper state, lower state).
    public static TheoryData<int, int, int> Edges => new()
    {
        { PilotClassifier.AFromMv, S.A, S.B },
        { PilotClassifier.BFromMv, S.B, S.C },
        { PilotClassifier.CFromMv, S.C, S.D },
        { PilotClassifier.DFromMv, S.D, S.E },
    };

    [Theory]
    [MemberData(nameof(Edges))]
    public void Near_an_edge_the_previous_state_is_kept_within_the_hysteresis(int edgeMv, int upper, int lower)
    {
        int h = PilotClassifier.DefaultHysteresisMv;

        // Coming from above: the upper state holds down to edge - h, then the lower one takes over.
        Assert.Equal(upper, _classifier.Classify(edgeMv - h, upper));
        Assert.Equal(lower, _classifier.Classify(edgeMv - h - 1, upper));

        // Coming from below: the lower state holds up to edge + h - 1, then the upper one takes over.
        Assert.Equal(lower, _classifier.Classify(edgeMv + h - 1, lower));
        Assert.Equal(upper, _classifier.Classify(edgeMv + h, lower));
    }

    [Fact]
    public void Hysteresis_also_holds_E_and_F_at_their_edges_to_the_invalid_gap()
    {
        Assert.Equal(S.E, _classifier.Classify(-1_510, S.E));
        Assert.Equal(S.Invalid, _classifier.Classify(-1_511, S.E));
        Assert.Equal(S.F, _classifier.Classify(-10_280, S.F));
        Assert.Equal(S.Invalid, _classifier.Classify(-10_279, S.F));
    }

    [Fact]
    public void The_13_volt_limit_has_no_hysteresis()
    {
        Assert.Equal(S.Invalid, _classifier.Classify(13_001, S.A));
        Assert.Equal(S.Invalid, _classifier.Classify(-13_001, S.F));
    }

    [Fact]
    public void A_previous_state_far_from_the_reading_does_not_stick()
    {
        Assert.Equal(S.C, _classifier.Classify(6_000, S.A));
        Assert.Equal(S.A, _classifier.Classify(12_000, S.F));
        Assert.Equal(S.B, _classifier.Classify(9_000, 99));
    }

    [Fact]
    public void Hysteresis_is_configurable_and_zero_means_plain_edges()
    {
        var plain = new PilotClassifier(0, PilotClassifier.DefaultDiodeMarginMv);
        Assert.Equal(S.B, plain.Classify(PilotClassifier.AFromMv - 1, S.A));

        var wide = new PilotClassifier(500, PilotClassifier.DefaultDiodeMarginMv);
        Assert.Equal(S.A, wide.Classify(PilotClassifier.AFromMv - 500, S.A));
        Assert.Equal(S.B, wide.Classify(PilotClassifier.AFromMv - 501, S.A));
    }

    [Theory]
    [InlineData(-1, 600)]
    [InlineData(1_001, 600)]
    [InlineData(200, -1)]
    [InlineData(200, 2_001)]
    public void Out_of_range_settings_are_refused(int hysteresisMv, int diodeMarginMv)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PilotClassifier(hysteresisMv, diodeMarginMv));
    }

    [Theory]
    [InlineData(S.B)]
    [InlineData(S.C)]
    [InlineData(S.D)]
    public void Diode_check_passes_at_minus_12_V_and_at_the_margin_and_fails_just_above(int state)
    {
        Assert.Equal(-10_800, _classifier.DiodeLowMaxMv);
        Assert.False(_classifier.DiodeCheckFailed(state, -12_000, 533));
        Assert.False(_classifier.DiodeCheckFailed(state, -12_600, 533));
        Assert.False(_classifier.DiodeCheckFailed(state, -10_800, 533));
        Assert.True(_classifier.DiodeCheckFailed(state, -10_799, 533));
        Assert.True(_classifier.DiodeCheckFailed(state, -9_000, 533));
        Assert.True(_classifier.DiodeCheckFailed(state, 0, 533));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(DutyCycle.DigitalCommunication)]
    [InlineData(999)]
    public void Diode_check_applies_for_every_duty_strictly_between_0_and_1000(int duty)
    {
        Assert.True(_classifier.DiodeCheckFailed(S.C, -6_000, duty));
    }

    [Theory]
    [InlineData(DutyCycle.StateF)]
    [InlineData(DutyCycle.Steady)]
    public void Without_PWM_there_is_no_diode_check(int duty)
    {
        Assert.False(_classifier.DiodeCheckFailed(S.B, 9_000, duty));
    }

    [Theory]
    [InlineData(S.A)]
    [InlineData(S.E)]
    [InlineData(S.F)]
    [InlineData(S.Invalid)]
    public void Without_a_vehicle_state_there_is_no_diode_check(int state)
    {
        Assert.False(_classifier.DiodeCheckFailed(state, 0, 533));
    }

    [Fact]
    public void Diode_margin_is_configurable()
    {
        var strict = new PilotClassifier(PilotClassifier.DefaultHysteresisMv, 0);
        Assert.False(strict.DiodeCheckFailed(S.C, -11_400, 533));
        Assert.True(strict.DiodeCheckFailed(S.C, -11_399, 533));
    }
}
