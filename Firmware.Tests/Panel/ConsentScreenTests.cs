using ChargerFirmware.Conditions;
using ChargerFirmware.Consent;
using ChargerFirmware.Panel;
using ChargerFirmware.Protocol.Messages;
using ChargerFirmware.Tests.Conditions;
using ChargerFirmware.Tests.Consent;
using ChargerFirmware.VirtualHardware;
using Xunit;
using Xunit.Abstractions;

namespace ChargerFirmware.Tests.Panel;

public class ConsentScreenTests(ITestOutputHelper output)
{
    private readonly ManualClock _clock = new();
    private readonly PresetStore _presets = new(new FakeStorage(), PresetStore.DefaultFileName, Settlement.Offset);
    private readonly string[] _lines = new string[ConsentScreen.Height];
    private ConsentSession? _session;
    private ConsentScreen? _screen;

    private ConsentScreen Screen => _screen ??= new ConsentScreen(Session, "JPY");

    private ConsentSession Session => _session ??= new ConsentSession(new CryptoEntropy(), _presets, new ConsentOptions());

    private long Now => _clock.MonotonicMs;

    private string[] Show(bool pricesValid = true, int buy = 14_000, int sell = 28_000)
    {
        Screen.Render(Now, pricesValid, buy, sell, _lines);
        output.WriteLine("+" + new string('-', ConsentScreen.Width) + "+");
        foreach (string line in _lines)
        {
            output.WriteLine("|" + line + "|");
        }

        output.WriteLine("+" + new string('-', ConsentScreen.Width) + "+");
        Assert.All(_lines, line => Assert.Equal(ConsentScreen.Width, line.Length));
        return _lines.Select(line => line.TrimEnd()).ToArray();
    }

    [Fact]
    public void The_driver_is_asked_with_vehicle_prices_conditions_countdown_and_buttons()
    {
        Session.Open(Now, "JN1-LEAF-0042");
        _clock.Advance(25_500);
        Assert.Equal(
        [
            "Share battery with aggregator?",
            "Vehicle: JN1-LEAF-0042",
            "Sell now: 28.00 JPY/kWh",
            "Buy now:  14.00 JPY/kWh",
            "Conditions: balanced",
            "Keep 50% sell>=25.00 buy<=15.00",
            "When: always",
            "Answer in 95 s, else Deny",
            "[Allow]  [Deny]  [Conditions]",
        ], Show());
    }

    [Fact]
    public void Without_a_vehicle_id_or_prices_the_screen_says_so()
    {
        Session.Open(Now, "");
        string[] lines = Show(pricesValid: false);
        Assert.Equal("Vehicle connected", lines[1]);
        Assert.Equal("Prices: not available", lines[2]);
        Assert.Equal("", lines[3]);
    }

    [Fact]
    public void Prices_show_in_hundredths_even_when_negative()
    {
        Session.Open(Now, "");
        string[] lines = Show(buy: -1_250, sell: 100_005);
        Assert.Equal("Sell now: 100.00 JPY/kWh", lines[2]);
        Assert.Equal("Buy now:  -1.25 JPY/kWh", lines[3]);
    }

    [Fact]
    public void The_conditions_button_cycles_the_presets_shown()
    {
        var night = new ChargingConditions("night-owl", 650, 30_000, 9_500, false, Settlement.Points);
        night.Windows.Add(DayMasks.Weekdays, 22 * 60, 6 * 60);
        night.Windows.Add(DayMasks.Weekend, 0, TimeWindows.MinutesPerDay);
        _presets.AddOrReplace(night);
        Session.Open(Now, "");
        Screen.BuyPriceCeilingMilli = 100_000;
        Screen.SellPriceFloorMilli = 1_000;

        // Leaving prices to the aggregator shows the limits that still hold: the charger's own.
        Assert.Equal(PanelButtons.Conditions, Screen.Touch(ConsentScreen.ButtonRow, 20, Now));
        Assert.Equal(["Conditions: leave-to-aggregator", "Keep 30% sell>=1.00 buy<=100.00", "When: always"], Show()[4..7]);
        Screen.Touch(ConsentScreen.ButtonRow, 17, Now);
        Assert.Equal(["Conditions: night-owl", "Keep 65% sell>=30.00 buy<=9.50", "When: MTWTF-- 22:00-06:00 +1"], Show()[4..7]);
        Screen.Touch(ConsentScreen.ButtonRow, 28, Now);
        Assert.Equal("Conditions: cautious", Show()[4]);
    }

    [Fact]
    public void Touches_map_to_the_buttons_under_them()
    {
        Session.Open(Now, "");
        int[] row = Enumerable.Range(0, ConsentScreen.Width).Select(c => Screen.ButtonAt(ConsentScreen.ButtonRow, c)).ToArray();
        string map = new(row.Select(b => b switch { PanelButtons.Allow => 'A', PanelButtons.Deny => 'D', PanelButtons.Conditions => 'C', _ => '.' }).ToArray());
        Assert.Equal("AAAAAAA..DDDDDD..CCCCCCCCCCCC...", map);
        Assert.Equal(PanelButtons.None, Screen.ButtonAt(ConsentScreen.ButtonRow - 1, 2));
        Assert.Equal(PanelButtons.None, Screen.ButtonAt(ConsentScreen.ButtonRow, -1));
        Assert.Equal(PanelButtons.None, Screen.Touch(0, 0, Now));
        Assert.Equal(ConsentStates.Pending, Session.State);
    }

    [Fact]
    public void Allow_then_stop_sharing_from_the_panel()
    {
        Session.Open(Now, "JN1-LEAF-0042");
        Assert.Equal(PanelButtons.Allow, Screen.Touch(ConsentScreen.ButtonRow, 3, Now));
        Assert.Equal(ConsentStates.Granted, Session.State);
        Assert.Equal(
        [
            "Sharing with aggregator",
            "Vehicle: JN1-LEAF-0042",
            "Sell now: 28.00 JPY/kWh",
            "Buy now:  14.00 JPY/kWh",
            "Conditions: balanced",
            "Keep 50% sell>=25.00 buy<=15.00",
            "When: always",
            "Earnings: offset",
            "[Stop sharing]",
        ], Show());

        Assert.Equal(PanelButtons.None, Screen.ButtonAt(ConsentScreen.ButtonRow, 14));
        Assert.Equal(PanelButtons.StopSharing, Screen.Touch(ConsentScreen.ButtonRow, 13, Now));
        Assert.Equal(ConsentStates.Revoked, Session.State);
        string[] lines = Show();
        Assert.Equal("Charging only, not shared", lines[0]);
        Assert.Equal("", lines[ConsentScreen.ButtonRow]);
        Assert.Equal(PanelButtons.None, Screen.ButtonAt(ConsentScreen.ButtonRow, 3));
    }

    [Fact]
    public void Deny_from_the_panel()
    {
        Session.Open(Now, "");
        Assert.Equal(PanelButtons.Deny, Screen.Touch(ConsentScreen.ButtonRow, 9, Now));
        Assert.Equal(ConsentStates.Denied, Session.State);
        Assert.Equal("Charging only, not shared", Show()[0]);
    }

    [Fact]
    public void Pressing_acts_and_reports_the_sessions_answer()
    {
        Session.Open(Now, "");
        Assert.Equal(ConsentResults.NotAvailable, Screen.Press(PanelButtons.None, Now));
        Assert.Equal(ConsentResults.Accepted, Screen.Press(PanelButtons.Allow, Now));
        Assert.Equal(ConsentResults.AlreadyDecided, Screen.Press(PanelButtons.Deny, Now));
        Assert.Equal(ConsentResults.NotAvailable, Screen.Press(PanelButtons.Conditions, Now));
        Assert.Equal(ConsentResults.Accepted, Screen.Press(PanelButtons.StopSharing, Now));
    }

    [Fact]
    public void With_no_vehicle_the_screen_is_idle()
    {
        string[] lines = Show();
        Assert.Equal("No vehicle connected", lines[0]);
        Assert.All(lines[1..], line => Assert.Equal("", line));
        Assert.Equal(PanelButtons.None, Screen.ButtonAt(ConsentScreen.ButtonRow, 3));
    }

    [Fact]
    public void Long_text_is_cut_to_the_screen_width()
    {
        Session.Open(Now, "A-VERY-LONG-VEHICLE-IDENTIFIER-0123456789");
        Assert.Equal("Vehicle: A-VERY-LONG-VEHICLE-IDE", Show()[1]);
    }

    [Fact]
    public void Button_names_are_explicit()
    {
        Assert.Equal(["none", "allow", "deny", "conditions", "stop-sharing"], Enumerable.Range(0, 5).Select(PanelButtons.Name));
    }
}
