using ChargerFirmware.Drivers.Panel;
using ChargerFirmware.Panel;
using ChargerFirmware.Tests.Support;
using Xunit;

using PilotState = ChargerFirmware.Drivers.Pilot.PilotState;

namespace ChargerFirmware.Tests.Panel;

public class PanelWorkerTests
{
    private sealed class FakePanel : ITextPanel
    {
        public List<string[]> Shown { get; } = new();
        public int NextButton { get; set; }

        public int Columns => 40;

        public int Rows => 13;

        public void Show(PanelFrame frame) => Shown.Add(Enumerable.Range(0, frame.Rows).Select(frame.RowText).ToArray());

        public int ReadButton(ICellButtons buttons)
        {
            int button = NextButton;
            NextButton = 0;
            return button;
        }
    }

    [Fact]
    public void The_panel_redraws_only_on_change_and_a_touch_reaches_the_charger_only_through_the_loop()
    {
        var rig = new ChargerRig();
        var panel = new FakePanel();
        var worker = new PanelWorker(new DriverPanel(rig.Policy.PanelFeed, rig.Policy.Presets, rig.Policy.Journal, rig.Inbox, new PanelOptions()), panel, rig.Clock);
        rig.Pilot.CarState = PilotState.B;
        rig.RunUntil(() => rig.Policy.AwaitingConsent);
        worker.Poll();
        worker.Poll();
        Assert.Single(panel.Shown);
        Assert.Contains(panel.Shown[0], line => line.Contains("Allow", StringComparison.Ordinal));

        // The tap changes the page at once, but the consent only once the loop took the event.
        panel.NextButton = PanelKeys.Allow;
        worker.Poll();
        Assert.Equal(2, panel.Shown.Count);
        Assert.False(rig.Policy.Consent.IsGranted);
        rig.Step();
        Assert.True(rig.Policy.Consent.IsGranted);
        worker.Poll();
        Assert.Equal(3, panel.Shown.Count);
        Assert.Equal("Sharing with the aggregator", panel.Shown[2][0].Trim()[..27]);
        worker.Poll();
        Assert.Equal(3, panel.Shown.Count);
    }
}
