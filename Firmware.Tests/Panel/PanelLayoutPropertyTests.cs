using ChargerFirmware.Consent;
using ChargerFirmware.Drivers.Panel;
using ChargerFirmware.Events;
using ChargerFirmware.Panel;
using ChargerFirmware.Protocol.Messages;
using Xunit;

namespace ChargerFirmware.Tests.Panel;

/// <summary>
/// Random touches and random charger states against the panel, checking after every step what must
/// hold on every screen: buttons a gloved finger can hit, none on top of another, no text cut, no
/// conditions shown once the driver refused, and every decision meant for the plug-in shown.
/// </summary>
public class PanelLayoutPropertyTests
{
    private static readonly int[] Keys = typeof(PanelKeys).GetFields().Select(f => (int)f.GetValue(null)!).Concat(Enumerable.Range(PanelKeys.Monday, 7)).Distinct().ToArray();
    private static readonly string[] Currencies = ["JPY", "EUR", "KWD", "USD"];
    private static readonly string[] Vehicles = [PanelRig.VehicleId, string.Empty, "0123456789ABCDEF0123456789ABCDEF"];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Every_screen_keeps_its_promises_under_random_use(int seed)
    {
        var random = new Random(seed);
        var rig = new PanelRig();
        var pages = new HashSet<int>();
        for (int step = 0; step < 2_500; step++)
        {
            switch (random.Next(12))
            {
                case 0:
                    if (!rig.Facts.Plugged)
                    {
                        rig.Facts.Currency = Currencies[random.Next(Currencies.Length)];
                        rig.PlugIn(Vehicles[random.Next(Vehicles.Length)], random.Next(0, 1001), random.Next(5) > 0);
                    }

                    break;
                case 1:
                    if (rig.Facts.Plugged)
                    {
                        rig.Unplug();
                    }

                    break;
                case 2:
                    if (rig.Facts.Plugged)
                    {
                        rig.Decide(random.Next(4) switch { 0 => ConsentStates.Granted, 1 => ConsentStates.Denied, 2 => ConsentStates.Revoked, _ => ConsentStates.Pending });
                    }

                    break;
                case 3:
                    rig.Facts.PowerW = random.Next(-11_000, 11_001);
                    rig.Facts.SocPermille = random.Next(0, 1001);
                    rig.Facts.ImportWh += random.Next(0, 5_000);
                    rig.Facts.ExportWh += random.Next(0, 5_000);
                    rig.Facts.PurchasesMilli += random.Next(0, 99_999);
                    rig.Facts.EarningsMilli += random.Next(0, 99_999);
                    rig.Facts.Reason = random.Next(0, 24);
                    rig.Facts.DispatchId = random.Next(2) == 0 ? string.Empty : "dr-" + random.Next(1000);
                    rig.Facts.DispatchSetpointW = random.Next(-11_000, 11_001);
                    rig.Facts.DispatchPriceMilli = random.Next(0, 10_000_000);
                    rig.Facts.DispatchHasPrice = random.Next(2) == 0;
                    rig.Facts.DispatchEndUtcMs = PanelRig.UtcMs + random.Next(0, 86_400_000);
                    rig.Facts.SellPriceMilli = random.Next(0, 10_000_000);
                    rig.Facts.BuyPriceMilli = random.Next(0, 10_000_000);
                    rig.Facts.PricesValid = random.Next(4) > 0;
                    rig.Facts.Faults = random.Next(10) == 0 ? 1 : 0;
                    rig.Facts.OwnMaxBuyPriceMilli = random.Next(3) - 1 >= 0 ? random.Next(0, 10_000_000) : -1;
                    rig.Publish(random.Next(2) == 0);
                    rig.Update();
                    break;
                case 4:
                    rig.Advance(random.Next(0, 70_000));
                    break;
                default:
                    // A finger anywhere on the glass, or on a button shown.
                    if (random.Next(3) == 0)
                    {
                        rig.Touch(random.Next(0, 480), random.Next(0, 320));
                    }
                    else
                    {
                        int key = Keys[random.Next(Keys.Length)];
                        if (rig.Shows(key))
                        {
                            rig.Tap(key);
                        }
                    }

                    break;
            }

            pages.Add(rig.Page);
            Check(rig, step);
        }

        Assert.True(pages.Count >= 8, "pages reached: " + string.Join(", ", pages.Select(PanelPages.Name)));
    }

    private static void Check(PanelRig rig, int step)
    {
        PanelFrame frame = rig.Panel.Frame;
        string where = $"step {step}, page {PanelPages.Name(rig.Page)}:\n{rig.Text}";
        Assert.True(frame.Clipped == 0, "text cut at " + where);
        var buttons = Enumerable.Range(0, frame.BoxCount).Where(b => frame.BoxButton(b) != TouchButtonTracker.NoButton).ToList();
        foreach (int b in buttons)
        {
            // 3 rows of 24 px (11 mm) by 5 columns of 12 px (9 mm) at the least, on the screen.
            Assert.True(frame.BoxHeight(b) >= 3 && frame.BoxWidth(b) >= 5, $"button {frame.BoxButton(b)} is {frame.BoxHeight(b)} x {frame.BoxWidth(b)} cells at {where}");
            Assert.True(frame.BoxTop(b) >= 0 && frame.BoxLeft(b) >= 0 && frame.BoxTop(b) + frame.BoxHeight(b) <= DriverPanel.Rows && frame.BoxLeft(b) + frame.BoxWidth(b) <= DriverPanel.Columns, where);
        }

        // No two buttons share a cell (the receipt's touch-anywhere box lies under its Done button by design).
        foreach (int a in buttons)
        {
            foreach (int b in buttons.Where(b => b > a && frame.BoxButton(b) != frame.BoxButton(a)))
            {
                bool overlap = frame.BoxTop(a) < frame.BoxTop(b) + frame.BoxHeight(b) && frame.BoxTop(b) < frame.BoxTop(a) + frame.BoxHeight(a)
                    && frame.BoxLeft(a) < frame.BoxLeft(b) + frame.BoxWidth(b) && frame.BoxLeft(b) < frame.BoxLeft(a) + frame.BoxWidth(a);
                Assert.False(overlap, $"buttons {frame.BoxButton(a)} and {frame.BoxButton(b)} overlap at {where}");
            }
        }

        if (rig.Page == PanelPages.Live && rig.Facts.Consent != ConsentStates.Granted)
        {
            Assert.DoesNotContain("Sell >=", rig.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("Order:", rig.Text, StringComparison.Ordinal);
        }

        if (!rig.Facts.Plugged)
        {
            Assert.True(rig.Page == PanelPages.Idle || rig.Page == PanelPages.Receipt, where);
        }

        foreach (ControlEvent e in rig.Events())
        {
            if (e.Kind == ControlEventKind.PanelTap)
            {
                Assert.Equal(rig.Facts.SessionId, e.Text1);
            }
            else
            {
                Assert.Equal(rig.Facts.VehicleId, e.Text1);
            }
        }
    }
}
