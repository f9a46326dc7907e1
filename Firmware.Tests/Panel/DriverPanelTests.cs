using ChargerFirmware.Conditions;
using ChargerFirmware.Consent;
using ChargerFirmware.Drivers.Panel;
using ChargerFirmware.Events;
using ChargerFirmware.Panel;
using ChargerFirmware.Protocol.Messages;
using Xunit;
using Xunit.Abstractions;

namespace ChargerFirmware.Tests.Panel;

/// <summary>The driver's screens as a new driver meets them: touched at pixels, checked by what they say and what they post.</summary>
public class DriverPanelTests(ITestOutputHelper output)
{
    private void Show(PanelRig rig) => output.WriteLine(rig.Text + "\n----");

    [Fact]
    public void The_question_says_what_allow_and_deny_do_to_the_car_and_counts_down()
    {
        var rig = new PanelRig();
        rig.PlugIn(socPermille: 450);
        rig.Advance(25_500);
        Show(rig);
        string text = rig.Text;
        Assert.StartsWith(" Share your battery?", rig.Lines[0], StringComparison.Ordinal);
        Assert.EndsWith("1:35 left", rig.Lines[0], StringComparison.Ordinal);
        Assert.Contains("Car 02005E1A2B3C", text, StringComparison.Ordinal);
        Assert.Contains("now 45 %", text, StringComparison.Ordinal);
        Assert.Contains("Now: sell 28.00  buy 14.00 JPY/kWh", text, StringComparison.Ordinal);
        string sentence = string.Join(" ", rig.Lines[4..9].Select(l => l.Trim()));
        Assert.Contains("ALLOW: charges to 50 %, then the aggregator may charge it at up to 15.00 or discharge it at 25.00 or more, between 50 % and full.", sentence, StringComparison.Ordinal);
        Assert.Contains("DENY: charges to full, shares nothing.", sentence, StringComparison.Ordinal);
        Assert.All(new[] { PanelKeys.Allow, PanelKeys.Deny, PanelKeys.Change, PanelKeys.Remember }, key => Assert.True(rig.Shows(key)));
        Assert.Equal(0, rig.Panel.Frame.Clipped);
    }

    [Fact]
    public void Above_the_kept_charge_the_sentence_says_it_is_kept_and_without_a_reading_that_nobody_may_use_the_car()
    {
        var rig = new PanelRig();
        rig.PlugIn(socPermille: 720);
        Assert.Contains("ALLOW: keeps at least 50 %; the aggregator", string.Join(" ", rig.Lines[4..9].Select(l => l.Trim())), StringComparison.Ordinal);

        var blind = new PanelRig();
        blind.PlugIn(vehicleId: string.Empty, socKnown: false);
        Show(blind);
        Assert.Contains("Car connected, no id given", blind.Text, StringComparison.Ordinal);
        Assert.Contains("does not report its charge, so it just charges to full; the aggregator cannot use it.", string.Join(" ", blind.Lines[4..9].Select(l => l.Trim())), StringComparison.Ordinal);
        Assert.False(blind.Shows(PanelKeys.Remember));
    }

    [Fact]
    public void Allow_posts_the_conditions_shown_for_this_plug_in_only_as_an_event()
    {
        var rig = new PanelRig();
        rig.PlugIn();
        rig.Tap(PanelKeys.Allow);
        ControlEvent e = Assert.Single(rig.Events());
        Assert.Equal(ControlEventKind.PanelTap, e.Kind);
        Assert.Equal(PanelButtons.Allow, e.Int1);
        Assert.Equal(PanelRig.SessionId, e.Text1);
        var conditions = Assert.IsType<ChargingConditions>(e.Payload);
        Assert.Equal(("balanced", 500, 25_000, 15_000), (conditions.Name, conditions.KeptSocPermille, conditions.MinSellPriceMilli, conditions.MaxBuyPriceMilli));
        Assert.Equal(PanelButtons.RememberAsked, e.Long1);
    }

    [Fact]
    public void Every_condition_is_edited_with_large_steps_and_sent_with_the_allow()
    {
        var rig = new PanelRig();
        rig.PlugIn();
        rig.Tap(PanelKeys.Change);
        Assert.Equal(PanelPages.Limits, rig.Page);
        for (int i = 0; i < 3; i++)
        {
            rig.Tap(PanelKeys.KeepPlus);
        }

        rig.Tap(PanelKeys.SellPlus);
        rig.Tap(PanelKeys.SellPlus);
        rig.Tap(PanelKeys.BuyMinus);
        Show(rig);
        Assert.Contains("65 %", rig.Lines[2], StringComparison.Ordinal);
        Assert.Contains("27.00", rig.Lines[5], StringComparison.Ordinal);
        Assert.Contains("14.00", rig.Lines[8], StringComparison.Ordinal);

        rig.Tap(PanelKeys.Times);
        rig.Tap(PanelKeys.AnyTime);
        rig.Tap(PanelKeys.Monday + 5);
        rig.Tap(PanelKeys.Monday + 6);
        rig.Tap(PanelKeys.FromPlus);
        rig.Tap(PanelKeys.ToMinus);
        Show(rig);
        rig.Tap(PanelKeys.Pattern);
        rig.Tap(PanelKeys.Payout);
        rig.Tap(PanelKeys.Done);
        Assert.Equal(PanelPages.Ask, rig.Page);
        Show(rig);
        Assert.Contains("Conditions: custom", rig.Text, StringComparison.Ordinal);
        Assert.Contains("paid as payout", rig.Text, StringComparison.Ordinal);
        Assert.Contains("Only Mon-Fri 23:00-06:00.", string.Join(" ", rig.Lines[4..9].Select(l => l.Trim())), StringComparison.Ordinal);

        rig.Tap(PanelKeys.Allow);
        var sent = Assert.IsType<ChargingConditions>(Assert.Single(rig.Events()).Payload);
        Assert.Equal(ConditionErrors.None, sent.Validate());
        Assert.Equal((650, 27_000, 14_000, false, Settlement.Payout), (sent.KeptSocPermille, sent.MinSellPriceMilli, sent.MaxBuyPriceMilli, sent.Delegated, sent.Settlement));
        Assert.Equal(1, sent.Windows.Count);
        Assert.Equal((DayMasks.Weekdays, 23 * 60, 6 * 60), (sent.Windows.DayMask(0), sent.Windows.StartMinute(0), sent.Windows.EndMinute(0)));
    }

    [Fact]
    public void Steps_stay_in_range_and_prices_step_by_the_currencys_minor_unit()
    {
        var rig = new PanelRig();
        rig.Facts.Currency = "EUR";
        rig.PlugIn();
        rig.Tap(PanelKeys.Change);
        for (int i = 0; i < 25; i++)
        {
            rig.Tap(PanelKeys.KeepPlus);
        }

        rig.Tap(PanelKeys.SellPlus);
        Assert.Contains("100 %", rig.Lines[2], StringComparison.Ordinal);
        Assert.Equal(25_010, rig.Panel.Draft.MinSellPriceMilli);
        Assert.Contains("25.010", rig.Lines[5], StringComparison.Ordinal);
        for (int i = 0; i < 21; i++)
        {
            rig.Tap(PanelKeys.KeepMinus);
        }

        Assert.Equal(0, rig.Panel.Draft.KeptSocPermille);
        Assert.Equal(1000, PanelText.PriceStepMilli("JPY"));
        Assert.Equal(10, PanelText.PriceStepMilli("EUR"));
        Assert.Equal(1, PanelText.PriceStepMilli("KWD"));
    }

    [Fact]
    public void Leaving_it_to_the_aggregator_shows_the_chargers_own_limits()
    {
        var rig = new PanelRig();
        rig.Facts.OwnMaxBuyPriceMilli = 40_000;
        rig.Facts.OwnMinSellPriceMilli = 10_000;
        rig.PlugIn();
        rig.Tap(PanelKeys.Change);
        rig.Tap(PanelKeys.Delegate);
        Show(rig);
        Assert.False(rig.Shows(PanelKeys.SellPlus));
        Assert.Contains("(charger >= 10.00)", rig.Text, StringComparison.Ordinal);
        Assert.Contains("(charger <= 40.00)", rig.Text, StringComparison.Ordinal);
        rig.Tap(PanelKeys.Done);
        Assert.Contains("at its prices (charger: buy <= 40.00, sell >= 10.00).", string.Join(" ", rig.Lines[4..9].Select(l => l.Trim())), StringComparison.Ordinal);

        var none = new PanelRig();
        none.PlugIn();
        none.Tap(PanelKeys.Change);
        none.Tap(PanelKeys.Delegate);
        Assert.Contains("(no limit)", none.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Windows_wrap_round_midnight_and_keep_at_least_one_day()
    {
        var rig = new PanelRig();
        rig.PlugIn();
        rig.Tap(PanelKeys.Change);
        rig.Tap(PanelKeys.Times);
        rig.Tap(PanelKeys.AnyTime);
        for (int i = 0; i < 3; i++)
        {
            rig.Tap(PanelKeys.FromPlus);
        }

        Assert.Equal(60, rig.Panel.Draft.Windows.StartMinute(0)); // 22 -> 23 -> 00 -> 01
        for (int i = 0; i < 6; i++)
        {
            rig.Tap(PanelKeys.ToMinus);
        }

        Assert.Equal(1440, rig.Panel.Draft.Windows.EndMinute(0)); // 07 -> 06 .. 02, then 24:00: 01:00 is the start
        for (int day = 0; day < 7; day++)
        {
            rig.Tap(PanelKeys.Monday + day);
        }

        Assert.Equal(DayMasks.Sunday, rig.Panel.Draft.Windows.DayMask(0));
        Assert.Contains("Keep at least one day", rig.Text, StringComparison.Ordinal);
        rig.Tap(PanelKeys.AnyTime);
        Assert.Equal(0, rig.Panel.Draft.Windows.Count);
        Assert.False(rig.Shows(PanelKeys.FromPlus));
    }

    [Fact]
    public void Patterns_cycle_through_the_chargers_presets_and_this_cars_own()
    {
        var rig = new PanelRig();
        rig.Facts.Remembered = true;
        rig.Facts.RememberedConditions.CopyFrom(new ChargingConditions(DriverPanel.MyPatternName, 700, 31_000, 9_000, false, Settlement.Points));
        rig.Facts.RememberedVersion++;
        rig.PlugIn();
        rig.Tap(PanelKeys.Change);
        rig.Tap(PanelKeys.Pattern);
        var seen = new List<string>();
        for (int i = 0; i < 5; i++)
        {
            rig.Tap(PanelKeys.PatternNext);
            seen.Add(rig.Panel.Draft.Name);
        }

        Assert.Equal(["cautious", "balanced", "leave-to-aggregator", DriverPanel.MyPatternName, "cautious"], seen);
        rig.Tap(PanelKeys.PatternPrevious);
        Assert.Equal((DriverPanel.MyPatternName, 700, Settlement.Points), (rig.Panel.Draft.Name, rig.Panel.Draft.KeptSocPermille, rig.Panel.Draft.Settlement));
    }

    [Fact]
    public void Deny_then_the_screen_shows_the_session_without_stale_conditions_and_the_driver_can_share_after_all()
    {
        var rig = new PanelRig();
        rig.PlugIn();
        rig.Tap(PanelKeys.Deny);
        Assert.Equal(PanelButtons.Deny, Assert.Single(rig.Events()).Int1);
        rig.Decide(ConsentStates.Denied);
        Show(rig);
        Assert.Equal(PanelPages.Live, rig.Page);
        Assert.StartsWith(" Charging only, not shared", rig.Lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("Sell >=", rig.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("balanced", rig.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Order", rig.Text, StringComparison.Ordinal);

        rig.Tap(PanelKeys.ShareAfterAll);
        Assert.StartsWith(" Share after all?", rig.Lines[0], StringComparison.Ordinal);
        Assert.Contains("CANCEL: it goes on charging to full.", rig.Text, StringComparison.Ordinal);
        rig.Tap(PanelKeys.Allow);
        ControlEvent e = Assert.Single(rig.Events());
        Assert.Equal((PanelButtons.Reconsider, PanelRig.SessionId), (e.Int1, e.Text1));
        Assert.NotNull(e.Payload);
    }

    [Fact]
    public void A_timeout_or_a_phone_answer_ends_the_editing_and_drops_the_draft()
    {
        var rig = new PanelRig();
        rig.PlugIn();
        rig.Tap(PanelKeys.Change);
        rig.Tap(PanelKeys.KeepPlus);
        rig.Decide(ConsentStates.Denied);
        Assert.Equal(PanelPages.Live, rig.Page);
        Assert.DoesNotContain("55 %", rig.Text, StringComparison.Ordinal);
        Assert.Empty(rig.Events());

        rig.Tap(PanelKeys.ShareAfterAll);
        Assert.Equal("balanced", rig.Panel.Draft.Name);
        rig.Decide(ConsentStates.Granted);
        Assert.Equal(PanelPages.Live, rig.Page);
        Assert.StartsWith(" Sharing with the aggregator", rig.Lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Changing_the_conditions_while_sharing_applies_them_or_cancels()
    {
        var rig = new PanelRig();
        rig.PlugIn();
        rig.Tap(PanelKeys.Allow);
        rig.Events();
        rig.Decide(ConsentStates.Granted);
        rig.Tap(PanelKeys.Change);
        Assert.StartsWith(" Change your conditions?", rig.Lines[0], StringComparison.Ordinal);
        rig.Tap(PanelKeys.Deny);
        Assert.Equal(PanelPages.Live, rig.Page);
        Assert.Empty(rig.Events());

        rig.Tap(PanelKeys.Change);
        rig.Tap(PanelKeys.Change);
        rig.Tap(PanelKeys.KeepPlus);
        rig.Tap(PanelKeys.Done);
        rig.Tap(PanelKeys.Allow);
        ControlEvent e = Assert.Single(rig.Events());
        Assert.Equal(PanelButtons.Reconsider, e.Int1);
        Assert.Equal(550, ((ChargingConditions)e.Payload!).KeptSocPermille);
    }

    [Fact]
    public void Stop_sharing_posts_a_stop_for_this_plug_in()
    {
        var rig = new PanelRig();
        rig.PlugIn();
        rig.Tap(PanelKeys.Allow);
        rig.Events();
        rig.Decide(ConsentStates.Granted);
        rig.Tap(PanelKeys.StopSharing);
        ControlEvent e = Assert.Single(rig.Events());
        Assert.Equal((PanelButtons.StopSharing, PanelRig.SessionId), (e.Int1, e.Text1));
        Assert.Null(e.Payload);
    }

    [Fact]
    public void The_live_screen_shows_charge_power_energy_money_the_order_and_time_to_the_kept_charge()
    {
        var rig = new PanelRig();
        rig.PlugIn(socPermille: 300);
        rig.Tap(PanelKeys.Allow);
        rig.Decide(ConsentStates.Granted);
        rig.Facts.PowerW = 7_360;
        rig.Facts.Reason = ChargerFirmware.Arbiter.ReasonCodes.BelowFloor;
        rig.Facts.ImportWh = 1_234;
        rig.Facts.PurchasesMilli = 17_276;
        rig.Publish();
        rig.Update();
        Show(rig);
        Assert.Equal(" 30 %  in 7.4 kW", rig.Lines[1]);
        Assert.Contains("Charging to your 50 % first.", rig.Text, StringComparison.Ordinal);
        Assert.Contains("Keep 50 %: in about 1 h 06 min", rig.Text, StringComparison.Ordinal); // 20 % of 40 kWh at 7.36 kW
        Assert.Contains("In  1.23 kWh", rig.Text, StringComparison.Ordinal);
        Assert.EndsWith("17 JPY", rig.Lines[5], StringComparison.Ordinal);
        Assert.Contains("No order now.", rig.Text, StringComparison.Ordinal);

        rig.Facts.SocPermille = 623;
        rig.Facts.PowerW = -5_020;
        rig.Facts.Reason = ChargerFirmware.Arbiter.ReasonCodes.Dispatch;
        rig.Facts.DispatchId = "dr-9";
        rig.Facts.DispatchSetpointW = -5_000;
        rig.Facts.DispatchHasPrice = true;
        rig.Facts.DispatchPriceMilli = 30_000;
        rig.Facts.DispatchEndUtcMs = PanelRig.UtcMs + 1_080_000;
        rig.Publish();
        rig.Update();
        Show(rig);
        Assert.Equal(" 62 %  out 5.0 kW", rig.Lines[1]);
        Assert.Contains("Discharging for the aggregator.", rig.Text, StringComparison.Ordinal);
        Assert.Contains("Order: out 5.0 kW at 30.00 to 14:30", rig.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Prices_and_live_readings_refresh_as_they_change_at_most_once_a_second()
    {
        var rig = new PanelRig();
        rig.PlugIn();
        rig.Tap(PanelKeys.Allow);
        rig.Decide(ConsentStates.Granted);
        rig.Facts.SellPriceMilli = 35_000;
        rig.Publish(major: true);
        Assert.True(rig.Update() || rig.Text.Contains("sell 35.00", StringComparison.Ordinal));
        Assert.Contains("sell 35.00", rig.Text, StringComparison.Ordinal);

        rig.Advance(1_000);
        rig.Facts.ImportWh = 500;
        rig.Publish(major: false);
        rig.Advance(100);
        Assert.Contains("In  0.50 kWh", rig.Text, StringComparison.Ordinal);
        rig.Facts.ImportWh = 510;
        rig.Publish(major: false);
        Assert.False(rig.Update());
        rig.Advance(1_000);
        Assert.Contains("In  0.51 kWh", rig.Text, StringComparison.Ordinal);
        Assert.False(rig.Update());
    }

    [Fact]
    public void The_receipt_shows_date_short_number_and_whole_yen_and_clears_after_a_minute()
    {
        var rig = new PanelRig();
        rig.PlugIn();
        rig.Tap(PanelKeys.Allow);
        rig.Decide(ConsentStates.Granted);
        rig.Facts.ImportWh = 5_210;
        rig.Facts.ExportWh = 1_050;
        rig.Facts.PurchasesMilli = 66_520;
        rig.Facts.EarningsMilli = 31_500;
        rig.Publish();
        rig.Unplug();
        Show(rig);
        Assert.Equal(PanelPages.Receipt, rig.Page);
        Assert.StartsWith(" 2027-03-14  13:22-14:12", rig.Lines[1], StringComparison.Ordinal);
        Assert.EndsWith("No. B7A8E1", rig.Lines[1], StringComparison.Ordinal);
        Assert.Contains("Car 02005E1A2B3C", rig.Text, StringComparison.Ordinal);
        Assert.EndsWith("Paid   67 JPY", rig.Lines[3], StringComparison.Ordinal);
        Assert.EndsWith("Earned 32 JPY", rig.Lines[4], StringComparison.Ordinal);
        Assert.Equal(" Net -35 JPY", rig.Lines[5]);
        Assert.Contains("Clears in 60 s, or touch anywhere.", rig.Text, StringComparison.Ordinal);

        rig.Advance(59_000);
        Assert.Equal(PanelPages.Receipt, rig.Page);
        Assert.Contains("Clears in 1 s", rig.Text, StringComparison.Ordinal);
        rig.Advance(1_000);
        Assert.Equal(PanelPages.Idle, rig.Page);
        Assert.DoesNotContain("02005E1A2B3C", rig.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("JPY\n", rig.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_touch_anywhere_clears_the_receipt()
    {
        var rig = new PanelRig();
        rig.PlugIn();
        rig.Unplug();
        Assert.Equal(PanelPages.Receipt, rig.Page);
        Assert.Equal(PanelKeys.Dismiss, rig.Touch(30, 200));
        Assert.Equal(PanelPages.Idle, rig.Page);
        Assert.DoesNotContain("No.", rig.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Remember_for_this_car_and_save_as_my_pattern_ask_the_charger_and_forgetting_needs_a_second_tap()
    {
        var rig = new PanelRig();
        rig.PlugIn();
        rig.Tap(PanelKeys.Remember);
        Assert.Contains("car: ON", rig.Text, StringComparison.Ordinal);
        rig.Tap(PanelKeys.Allow);
        Assert.Equal(PanelButtons.RememberAsked | PanelButtons.RememberFlag, Assert.Single(rig.Events()).Long1);

        var saver = new PanelRig();
        saver.PlugIn();
        saver.Tap(PanelKeys.Change);
        saver.Tap(PanelKeys.KeepPlus);
        saver.Tap(PanelKeys.Pattern);
        saver.Tap(PanelKeys.SaveMine);
        ControlEvent save = Assert.Single(saver.Events());
        Assert.Equal((ControlEventKind.RememberVehicle, PanelRig.VehicleId), (save.Kind, save.Text1));
        var mine = Assert.IsType<ChargingConditions>(save.Payload);
        Assert.Equal((DriverPanel.MyPatternName, 550), (mine.Name, mine.KeptSocPermille));
        Assert.Contains("Saved for this car", saver.Text, StringComparison.Ordinal);

        saver.Facts.Remembered = true;
        saver.Publish();
        saver.Update();
        saver.Tap(PanelKeys.Forget);
        Assert.Empty(saver.Events());
        Assert.Contains("Tap again to forget", saver.Text, StringComparison.Ordinal);
        saver.Tap(PanelKeys.Forget);
        ControlEvent forget = Assert.Single(saver.Events());
        Assert.Equal((ControlEventKind.ForgetVehicle, 0, PanelRig.VehicleId), (forget.Kind, forget.Int1, forget.Text1));
    }

    [Fact]
    public void Without_a_vehicle_id_nothing_can_be_remembered()
    {
        var rig = new PanelRig();
        rig.PlugIn(vehicleId: string.Empty);
        rig.Tap(PanelKeys.Change);
        rig.Tap(PanelKeys.Pattern);
        Assert.False(rig.Shows(PanelKeys.SaveMine));
        Assert.Contains("no id: nothing is saved", rig.Text, StringComparison.Ordinal);
        rig.Tap(PanelKeys.Done);
        rig.Tap(PanelKeys.Allow);
        Assert.Equal(0, Assert.Single(rig.Events()).Long1);
    }

    [Fact]
    public void An_editor_left_alone_goes_back_to_the_session()
    {
        var rig = new PanelRig();
        rig.PlugIn();
        rig.Tap(PanelKeys.Allow);
        rig.Decide(ConsentStates.Granted);
        rig.Tap(PanelKeys.Change);
        rig.Tap(PanelKeys.Change);
        rig.Advance(89_000);
        Assert.Equal(PanelPages.Limits, rig.Page);
        rig.Advance(1_000);
        Assert.Equal(PanelPages.Live, rig.Page);
    }

    [Fact]
    public void With_no_car_the_screen_invites_to_plug_in_or_says_the_charger_is_out_of_service()
    {
        var rig = new PanelRig();
        Show(rig);
        Assert.Contains("Plug in to start", rig.Text, StringComparison.Ordinal);
        Assert.Contains("Now: sell 28.00  buy 14.00 JPY/kWh", rig.Text, StringComparison.Ordinal);
        rig.Facts.Disabled = true;
        rig.Publish();
        rig.Update();
        Assert.Contains("Out of service", rig.Lines[0], StringComparison.Ordinal);
        Assert.Contains("A technician has switched this charger off.", string.Join(" ", rig.Lines.Select(l => l.Trim())), StringComparison.Ordinal);
        Assert.Equal(0, rig.Panel.Frame.BoxCount - 1);
    }

    [Fact]
    public void Money_is_rounded_to_the_currencys_minor_unit_and_the_receipt_adds_up()
    {
        Assert.Equal("14", PanelText.Money(13_500, "JPY"));
        Assert.Equal("-14", PanelText.Money(-13_500, "JPY"));
        Assert.Equal("13", PanelText.Money(13_499, "JPY"));
        Assert.Equal("1.24", PanelText.Money(1_235, "EUR"));
        Assert.Equal("0.001", PanelText.Money(1, "KWD"));
        Assert.Equal("+5", PanelText.SignedMinor(5, "JPY"));
        Assert.Equal("-0.05", PanelText.SignedMinor(-5, "EUR"));
        Assert.Equal("25.00", PanelText.Price(25_000, "JPY"));
        Assert.Equal("0.254", PanelText.Price(254, "EUR"));
        Assert.Equal("3.21 kWh", PanelText.Kwh(3_219));
        Assert.Equal("7.4 kW", PanelText.Kw(-7_360));
        Assert.Equal("1 h 05 min", PanelText.Duration(3_900_000));
        Assert.Equal("3F9AC2", PanelText.ShortSession("000000013e7d2b1a9f3f9ac2"));
    }
}
