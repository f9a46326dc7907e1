using ChargerFirmware.Simulator.Hardware;
using ChargerFirmware.VirtualHardware.Panel;

namespace ChargerFirmware.Simulator.Display;

/// <summary>
/// Writes a PNG of a charger's panel each time it changes (--screens DIR): the pixels the device's
/// rasterizer drew, named <c>ID-NNNN-PAGE.png</c> in the order shown (NNNN counts from 0001 per charger).
/// A change is a new page, a change of what decides it (consent, prices, order, receipt...) or the
/// result of a touch; a countdown or a live reading ticking alone is not (a picture a second would
/// bury the ones that matter). Runs on the charger's scheduler thread, right after the frame was drawn.
/// </summary>
public sealed class ScreenRecorder
{
    private readonly string _folder;
    private int _written;

    /// <summary>A recorder writing into <paramref name="folder"/> (created when missing).</summary>
    public ScreenRecorder(string folder)
    {
        _folder = folder;
        Directory.CreateDirectory(folder);
    }

    /// <summary>The folder pictures go to.</summary>
    public string Folder => _folder;

    /// <summary>Pictures written so far.</summary>
    public int Written => Volatile.Read(ref _written);

    /// <summary>Records <paramref name="charger"/>'s panel from now on (nothing for a charger without one).</summary>
    public void Attach(SimulatedCharger charger)
    {
        if (charger.Screen is not { } screen)
        {
            return;
        }

        int count = 0;
        long lastKey = long.MinValue;
        screen.Shown += shown =>
        {
            long key = charger.ShownPanelKey + ((long)shown.TouchesDone << 32);
            if (key == lastKey)
            {
                return;
            }

            lastKey = key;
            string page = charger.Panel is { } panel ? ChargerFirmware.Panel.PanelPages.Name(panel.Page) : "screen";
            string path = Path.Combine(_folder, $"{charger.Id}-{++count:D4}-{page}.png");
            File.WriteAllBytes(path, PngImage.FromRgb565(shown.Pixels, VirtualTextPanel.WidthPx, VirtualTextPanel.HeightPx));
            Interlocked.Increment(ref _written);
        };
    }
}
