using ChargerFirmware.Drivers.Pilot;
using ChargerFirmware.Events;
using ChargerFirmware.Faults;
using ChargerFirmware.Panel;
using ChargerFirmware.Tests.Support;
using Xunit;

using States = ChargerFirmware.Protocol.Messages.ChargerState;

namespace ChargerFirmware.Tests.Control;

/// <summary>The charging core's session flow and contactor rules, tick by tick on a manual clock.</summary>
public class ChargerCoreTests
{
    [Fact]
    public void Idle_offers_nothing_and_keeps_the_contactor_open()
    {
        var rig = new ChargerRig();
        rig.RunMs(1_000);
        Assert.Equal(States.Idle, rig.State);
        Assert.Equal(DutyCycle.Steady, rig.Pilot.DutyPermille);
        Assert.False(rig.Contactor.Driven);
        Assert.Equal(0, rig.Converter.SetpointW);
    }

    [Fact]
    public void A_plugged_car_is_asked_for_consent_and_offered_no_current_meanwhile()
    {
        var rig = new ChargerRig();
        rig.Pilot.CarState = PilotState.B;
        long took = rig.RunUntil(() => rig.State == States.AwaitingConsent);
        Assert.InRange(took, 250, 320);
        rig.Pilot.CarState = PilotState.C; // an impatient car
        rig.RunMs(2_000);
        Assert.Equal(States.AwaitingConsent, rig.State);
        Assert.Equal(DutyCycle.Steady, rig.Pilot.DutyPermille);
        Assert.False(rig.Contactor.Driven);
        var kinds = rig.DrainOutbox().Select(e => e.Kind).ToList();
        Assert.Contains(OutboundKind.Plugged, kinds);
        Assert.Contains(OutboundKind.ConsentRequested, kinds);
    }

    [Fact]
    public void After_the_answer_the_pilot_offers_the_cable_current_and_C_closes_the_contactor()
    {
        var rig = new ChargerRig();
        rig.Pilot.CarState = PilotState.B;
        rig.RunUntil(() => rig.Policy.AwaitingConsent);
        rig.Tap(PanelButtons.Deny);
        rig.Step(2);
        Assert.Equal(States.Ready, rig.State);
        DutyCycle.TryFromCurrentMa(32_000, out int duty);
        Assert.Equal(duty, rig.Pilot.DutyPermille);
        Assert.False(rig.Contactor.Driven);

        rig.Pilot.CarState = PilotState.C;
        long took = rig.RunUntil(() => rig.Contactor.Driven);
        Assert.InRange(took, 250, 320); // B to C grants power: the long debounce
        rig.RunMs(3_000);
        Assert.Equal(States.Charging, rig.State);
        Assert.True(rig.Converter.SetpointW > 0);
    }

    [Fact]
    public void Denied_consent_still_charges_the_driver_up_to_the_cable_limit()
    {
        var rig = new ChargerRig();
        rig.Converter.MaxChargeW = 11_000;
        rig.PlugIn(allow: false);
        rig.RunMs(10_000);
        // The car may draw what the duty cycle says (32 A rounds down to 31.98 A), at 230 V.
        DutyCycle.TryFromCurrentMa(32_000, out int duty);
        Assert.Equal(DutyCycle.ToCurrentMa(duty) * 230 / 1000, rig.Converter.SetpointW);
        Assert.Equal(States.Charging, rig.State);
    }

    [Theory]
    [InlineData(PilotState.B)]
    [InlineData(PilotState.A)]
    public void Leaving_C_drives_the_setpoint_to_zero_and_opens_within_100_ms(int leaveTo)
    {
        var rig = new ChargerRig();
        rig.PlugIn(allow: false);
        rig.RunMs(5_000);
        Assert.True(rig.Converter.SetpointW > 0);

        rig.Pilot.CarState = leaveTo;
        long took = rig.RunUntil(() => !rig.Contactor.Driven, 200);
        Assert.True(took <= 100, $"opened after {took} ms");
        Assert.Equal(0, rig.Converter.SetpointW);
    }

    [Fact]
    public void Unplugging_ends_the_session_and_the_next_car_is_asked_again()
    {
        var rig = new ChargerRig();
        rig.PlugIn(allow: true);
        string first = rig.Policy.Consent.SessionId;
        rig.Pilot.CarState = PilotState.A;
        rig.RunMs(200);
        Assert.Equal(States.Idle, rig.State);
        Assert.Contains(rig.DrainOutbox(), e => e.Kind == OutboundKind.Unplugged && e.Text1 == first);

        rig.Pilot.CarState = PilotState.B;
        rig.RunUntil(() => rig.Policy.AwaitingConsent);
        Assert.NotEqual(first, rig.Policy.Consent.SessionId);
    }

    [Fact]
    public void A_single_sample_glitch_never_toggles_the_contactor()
    {
        var rig = new ChargerRig();
        rig.PlugIn(allow: false);
        rig.RunMs(1_000);
        int operations = rig.Contactor.Operations;
        for (int i = 0; i < 50; i++)
        {
            rig.Pilot.OverrideMv(9_000, -12_000); // one sample of B
            rig.Step();
            rig.Pilot.ClearOverride();
            rig.Step(3);
            rig.Pilot.OverrideMv(20_000, 20_000); // one implausible sample
            rig.Step();
            rig.Pilot.ClearOverride();
            rig.Step(3);
        }

        Assert.Equal(operations, rig.Contactor.Operations);
        Assert.True(rig.Contactor.Driven);
        Assert.Equal(0, rig.Charger.Faults.Active);
    }

    [Fact]
    public void A_converter_not_ready_keeps_the_contactor_open()
    {
        var rig = new ChargerRig();
        rig.Converter.Ready = false;
        rig.Pilot.CarState = PilotState.B;
        rig.RunUntil(() => rig.Policy.AwaitingConsent);
        rig.Tap(PanelButtons.Deny);
        rig.Pilot.CarState = PilotState.C;
        rig.RunMs(2_000);
        Assert.False(rig.Contactor.Driven);
        rig.Converter.Ready = true;
        rig.RunMs(100);
        Assert.True(rig.Contactor.Driven);
    }

    [Fact]
    public void The_setpoint_stays_zero_until_the_contactor_feedback_confirms_closing()
    {
        var rig = new ChargerRig();
        rig.Contactor.StuckOpen = true;
        rig.Pilot.CarState = PilotState.B;
        rig.RunUntil(() => rig.Policy.AwaitingConsent);
        rig.Tap(PanelButtons.Deny);
        rig.Pilot.CarState = PilotState.C;
        rig.RunUntil(() => rig.Contactor.Driven);
        while (rig.Contactor.Driven)
        {
            Assert.Equal(0, rig.Converter.SetpointW);
            rig.Step();
        }

        Assert.True(rig.Charger.Faults.IsActive(FaultCode.ContactorFailed));
        Assert.Equal(0, rig.Converter.SetpointW);
    }

    [Fact]
    public void A_technician_disable_ramps_down_first_then_opens_and_shows_state_F()
    {
        var rig = new ChargerRig();
        rig.PlugIn(allow: false);
        rig.RunMs(5_000);
        rig.Inbox.Post(ControlEventKind.SetEnabled, 0, 0, null, null);
        rig.Step();
        Assert.Equal(0, rig.Converter.SetpointW);
        Assert.True(rig.Contactor.Driven);
        rig.Step();
        Assert.False(rig.Contactor.Driven);
        Assert.Equal(States.Disabled, rig.State);
        Assert.Equal(DutyCycle.StateF, rig.Pilot.DutyPermille);

        rig.Inbox.Post(ControlEventKind.SetEnabled, 1, 0, null, null);
        rig.RunMs(2_000);
        Assert.True(rig.Contactor.Driven);
    }

    [Fact]
    public void Thermal_derating_halves_then_quarters_the_power()
    {
        var rig = new ChargerRig();
        rig.Converter.MaxChargeW = 7_000;
        rig.PlugIn(allow: false);
        rig.RunMs(10_000);
        Assert.Equal(7_000, rig.Converter.SetpointW);
        rig.Temperature.DeciCelsius = 660;
        rig.Step();
        Assert.Equal(3_500, rig.Converter.SetpointW);
        rig.Temperature.DeciCelsius = 690;
        rig.Step();
        Assert.Equal(1_750, rig.Converter.SetpointW);
    }

    [Fact]
    public void The_status_snapshot_tells_what_the_core_does()
    {
        var rig = new ChargerRig();
        rig.PlugIn(allow: false);
        rig.RunMs(10_000);
        var status = rig.Snapshot();
        Assert.Equal(States.Charging, status.State);
        Assert.Equal(PilotState.C, status.Pilot);
        Assert.True(status.ContactorClosed);
        Assert.True(status.ContactorFeedback);
        Assert.Equal(rig.Converter.SetpointW, status.SetpointW);
        Assert.Equal(32, status.CableA);
        Assert.NotNull(status.SessionId);
    }
}
