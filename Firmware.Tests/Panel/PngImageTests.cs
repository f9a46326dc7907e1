using ChargerFirmware.VirtualHardware.Panel;
using Xunit;

namespace ChargerFirmware.Tests.Panel;

public class PngImageTests
{
    [Fact]
    public void A_screen_written_as_png_reads_back_pixel_for_pixel()
    {
        var screen = new byte[4 * 3 * 2];
        int[] colours = [0xF800, 0x07E0, 0x001F, 0xFFFF, 0x0000, 0x8410, 0x1234, 0xABCD, 0xF81F, 0x07FF, 0xFFE0, 0x4208];
        for (int p = 0; p < colours.Length; p++)
        {
            screen[2 * p] = (byte)(colours[p] >> 8);
            screen[(2 * p) + 1] = (byte)colours[p];
        }

        byte[] png = PngImage.FromRgb565(screen, 4, 3);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        byte[] rgb = PngImage.ReadRgb(png, out int width, out int height);
        Assert.Equal((4, 3), (width, height));
        Assert.Equal([255, 0, 0], rgb[..3]);
        Assert.Equal([0, 255, 0], rgb[3..6]);
        Assert.Equal([0, 0, 255], rgb[6..9]);
        Assert.Equal([255, 255, 255], rgb[9..12]);
        for (int p = 0; p < colours.Length; p++)
        {
            int back = ((rgb[3 * p] & 0xF8) << 8) | ((rgb[(3 * p) + 1] & 0xFC) << 3) | (rgb[(3 * p) + 2] >> 3);
            Assert.Equal(colours[p], back);
        }
    }

    [Fact]
    public void Anything_else_is_refused_clearly()
    {
        Assert.Throws<InvalidDataException>(() => PngImage.ReadRgb([1, 2, 3], out _, out _));
    }
}
