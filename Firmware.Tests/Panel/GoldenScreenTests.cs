using ChargerFirmware.Consent;
using ChargerFirmware.Ledger;
using ChargerFirmware.Panel;
using ChargerFirmware.Protocol.Messages;
using ChargerFirmware.Tests.Support;
using ChargerFirmware.VirtualHardware;
using ChargerFirmware.VirtualHardware.Panel;
using Xunit;

namespace ChargerFirmware.Tests.Panel;

/// <summary>
/// The main screens, drawn through the device's rasterizer, compared pixel for pixel with the
/// pictures in Golden/. Any unintended change of one pixel fails; after an intended change, run
/// with UPDATE_GOLDEN=1 to rewrite the pictures (and look at them before committing).
/// </summary>
public class GoldenScreenTests
{
    private static readonly string Folder = RepositoryFiles.PathOf("Firmware.Tests", "Panel", "Golden");

    public static TheoryData<string> Screens() => [.. Scenarios.Keys];

    private static readonly Dictionary<string, Func<PanelRig>> Scenarios = new()
    {
        ["idle"] = () => new PanelRig(),
        ["out-of-service"] = () =>
        {
            var rig = new PanelRig();
            rig.Facts.Faults = 1 << ChargerFirmware.Faults.FaultCode.RcdTrip;
            rig.Facts.State = ChargerState.Fault;
            rig.Publish();
            rig.Update();
            return rig;
        },
        ["ask"] = () =>
        {
            var rig = new PanelRig();
            rig.PlugIn();
            rig.Advance(25_000);
            return rig;
        },
        ["ask-no-charge-reading"] = () =>
        {
            var rig = new PanelRig();
            rig.PlugIn(vehicleId: string.Empty, socKnown: false);
            return rig;
        },
        ["edit-limits"] = () =>
        {
            var rig = new PanelRig();
            rig.PlugIn();
            rig.Tap(PanelKeys.Change);
            rig.Tap(PanelKeys.KeepPlus);
            return rig;
        },
        ["edit-times"] = () =>
        {
            var rig = new PanelRig();
            rig.PlugIn();
            rig.Tap(PanelKeys.Change);
            rig.Tap(PanelKeys.Times);
            rig.Tap(PanelKeys.AnyTime);
            rig.Tap(PanelKeys.Monday + 5);
            rig.Tap(PanelKeys.Monday + 6);
            return rig;
        },
        ["edit-pattern"] = () =>
        {
            var rig = new PanelRig();
            rig.PlugIn();
            rig.Tap(PanelKeys.Change);
            rig.Tap(PanelKeys.Pattern);
            rig.Tap(PanelKeys.Points);
            return rig;
        },
        ["ask-edited"] = () =>
        {
            var rig = new PanelRig();
            rig.PlugIn();
            rig.Tap(PanelKeys.Change);
            rig.Tap(PanelKeys.Times);
            rig.Tap(PanelKeys.AnyTime);
            rig.Tap(PanelKeys.Done);
            return rig;
        },
        ["live-sharing"] = () =>
        {
            var rig = new PanelRig();
            rig.PlugIn();
            rig.Tap(PanelKeys.Allow);
            Sharing(rig);
            return rig;
        },
        ["live-not-shared"] = () =>
        {
            var rig = new PanelRig();
            rig.PlugIn();
            rig.Tap(PanelKeys.Deny);
            rig.Decide(ConsentStates.Denied);
            rig.Facts.PowerW = 7_360;
            rig.Facts.Reason = ChargerFirmware.Arbiter.ReasonCodes.NoConsent;
            rig.Facts.ImportWh = 2_150;
            rig.Facts.PurchasesMilli = 30_100;
            rig.Publish();
            rig.Update();
            return rig;
        },
        ["history"] = () =>
        {
            var rig = WithHistory();
            rig.Tap(PanelKeys.History);
            rig.Tap(PanelKeys.Month);
            return rig;
        },
        ["history-dates"] = () =>
        {
            var rig = WithHistory();
            rig.Tap(PanelKeys.History);
            rig.Tap(PanelKeys.Dates);
            return rig;
        },
        ["receipt"] = () =>
        {
            var rig = new PanelRig();
            rig.PlugIn();
            rig.Tap(PanelKeys.Allow);
            Sharing(rig);
            rig.Unplug();
            rig.Advance(5_000);
            return rig;
        },
    };

    // Sharing, charging for an order, part of the way through.
    private static void Sharing(PanelRig rig)
    {
        rig.Decide(ConsentStates.Granted);
        rig.Facts.SocPermille = 623;
        rig.Facts.PowerW = -5_020;
        rig.Facts.Reason = ChargerFirmware.Arbiter.ReasonCodes.Dispatch;
        rig.Facts.AggregatorInControl = true;
        rig.Facts.ImportWh = 5_210;
        rig.Facts.ExportWh = 1_050;
        rig.Facts.PurchasesMilli = 66_520;
        rig.Facts.EarningsMilli = 31_500;
        rig.Facts.DispatchId = "dr-0002";
        rig.Facts.DispatchSetpointW = -5_000;
        rig.Facts.DispatchHasPrice = true;
        rig.Facts.DispatchPriceMilli = 30_000;
        rig.Facts.DispatchEndUtcMs = PanelRig.UtcMs + 1_080_000;
        rig.Publish();
        rig.Update();
    }

    // This car's visits this month (and another car's, which must not show).
    private static PanelRig WithHistory()
    {
        var journal = new LedgerJournal(new MemoryStorage(), "ledger", LedgerJournal.DefaultMaxBytes);
        journal.Open();
        long id = 0;
        void Add(string session, string vehicle, long startUtc, int kind, long wh, long price, int settlement)
        {
            journal.Append(new LedgerRecord
            {
                RecordId = ++id,
                SessionId = session,
                VehicleId = vehicle,
                StartUtcMs = startUtc,
                EndUtcMs = startUtc + 600_000,
                Kind = kind,
                Wh = wh,
                PriceMilliPerKWh = price,
                Currency = "JPY",
                AmountMilli = wh * price / 1000,
                Settlement = settlement,
            });
        }

        const long Day = 86_400_000;
        Add("00000001aaaaaaaa11c0ffee", PanelRig.VehicleId, PanelRig.UtcMs - (12 * Day), LedgerKind.OwnCharge, 8_000, 14_000, Settlement.Offset);
        Add("00000002bbbbbbbb22d15ea5", "0200AA000001", PanelRig.UtcMs - (9 * Day), LedgerKind.OwnCharge, 4_000, 14_000, Settlement.Offset);
        Add("00000003cccccccc33be11ed", PanelRig.VehicleId, PanelRig.UtcMs - (6 * Day), LedgerKind.AggregatorCharge, 3_200, 8_000, Settlement.Points);
        Add("00000003cccccccc33be11ed", PanelRig.VehicleId, PanelRig.UtcMs - (6 * Day) + 700_000, LedgerKind.AggregatorDischarge, 2_100, 30_000, Settlement.Points);
        Add("00000004dddddddd44facade", PanelRig.VehicleId, PanelRig.UtcMs - (1 * Day), LedgerKind.OwnCharge, 6_500, 12_000, Settlement.Offset);
        Add("00000004dddddddd44facade", PanelRig.VehicleId, PanelRig.UtcMs - (1 * Day) + 700_000, LedgerKind.AggregatorDischarge, 1_000, 31_000, Settlement.Offset);
        var rig = new PanelRig(journal);
        rig.PlugIn();
        rig.Tap(PanelKeys.Allow);
        rig.Decide(ConsentStates.Granted);
        return rig;
    }

    [Theory]
    [MemberData(nameof(Screens))]
    public void The_screen_matches_its_golden_picture(string name)
    {
        PanelRig rig = Scenarios[name]();
        byte[] png = rig.Png();
        string path = Path.Combine(Folder, name + ".png");
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Folder);
            File.WriteAllBytes(path, png);
            return;
        }

        Assert.True(File.Exists(path), $"no golden picture {path}: run the tests with UPDATE_GOLDEN=1 once and look at it");
        byte[] expected = PngImage.ReadRgb(File.ReadAllBytes(path), out int width, out int height);
        byte[] actual = PngImage.ReadRgb(png, out _, out _);
        Assert.Equal((VirtualTextPanel.WidthPx, VirtualTextPanel.HeightPx), (width, height));
        int differing = 0;
        int first = -1;
        for (int p = 0; p < width * height; p++)
        {
            if (expected[3 * p] != actual[3 * p] || expected[(3 * p) + 1] != actual[(3 * p) + 1] || expected[(3 * p) + 2] != actual[(3 * p) + 2])
            {
                differing++;
                first = first < 0 ? p : first;
            }
        }

        if (differing > 0)
        {
            string actualPath = Path.Combine(Path.GetTempPath(), "golden-actual-" + name + ".png");
            File.WriteAllBytes(actualPath, png);
            Assert.Fail($"{differing} pixels differ from {path}, the first at {first % width},{first / width}; this run's picture: {actualPath}\n{rig.Text}");
        }
    }

    [Fact]
    public void A_change_of_one_pixel_is_caught()
    {
        PanelRig rig = Scenarios["idle"]();
        byte[] before = PngImage.ReadRgb(rig.Png(), out _, out _);
        rig.Screen.Pixels[(160 * VirtualTextPanel.WidthPx + 240) * 2] ^= 0x08;
        byte[] after = PngImage.ReadRgb(rig.Png(), out _, out _);
        Assert.Equal(1, Enumerable.Range(0, before.Length / 3).Count(p => before[3 * p] != after[3 * p] || before[(3 * p) + 1] != after[(3 * p) + 1] || before[(3 * p) + 2] != after[(3 * p) + 2]));
    }
}
