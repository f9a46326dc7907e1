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

        public void Show(string[] lines, int count, ICellButtons buttons) => Shown.Add(lines.Take(count).ToArray());

        public int ReadButton(ICellButtons buttons)
        {
            int button = NextButton;
            NextButton = 0;
            return button;
        }
    }

    [Fact]
    public void The_panel_redraws_only_on_change_and_a_touch_becomes_a_tap_in_the_loop()
    {
        var rig = new ChargerRig();
        var panel = new FakePanel();
        var worker = new PanelWorker(rig.Policy, panel, rig.Inbox);
        rig.Pilot.CarState = PilotState.B;
        rig.RunUntil(() => rig.Policy.AwaitingConsent);
        worker.Poll();
        worker.Poll();
        Assert.Single(panel.Shown);
        Assert.Contains(panel.Shown[0], line => line.Contains("Allow", StringComparison.Ordinal));

        panel.NextButton = PanelButtons.Allow;
        worker.Poll();
        rig.Step();
        Assert.True(rig.Policy.Consent.IsGranted);
        worker.Poll();
        Assert.Equal(2, panel.Shown.Count);
    }
}
