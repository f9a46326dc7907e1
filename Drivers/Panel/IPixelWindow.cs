namespace ChargerFirmware.Drivers.Panel
{
    /// <summary>
    /// Where a <see cref="FramePainter"/> puts pixels: a rectangle is opened, then filled left to right,
    /// top to bottom with RGB565 pixels (high byte first). The display adapter sends them over SPI; the
    /// simulator keeps them in memory to write pictures.
    /// </summary>
    public interface IPixelWindow
    {
        /// <summary>Opens the rectangle from (<paramref name="x0"/>, <paramref name="y0"/>) to (<paramref name="x1"/>, <paramref name="y1"/>), inclusive.</summary>
        void OpenWindow(int x0, int y0, int x1, int y1);

        /// <summary>Writes the next <paramref name="count"/> bytes of <paramref name="pixels"/> into the open rectangle.</summary>
        void WritePixels(byte[] pixels, int count);
    }
}
