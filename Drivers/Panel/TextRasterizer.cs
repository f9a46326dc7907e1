using System;

namespace ChargerFirmware.Drivers.Panel
{
    /// <summary>
    /// Draws one row of a <see cref="PanelFrame"/> on a <see cref="TextGrid"/> into RGB565 pixels, one
    /// scanline at a time, in the byte order SPI displays such as the ILI9341 and ST7796S expect (high
    /// byte first). Each cell takes the colours of its box's style (<see cref="PanelPalette"/>); a
    /// button's box keeps a thin margin of body colour along its right and bottom edges (the font's
    /// own blank column and row, so no glyph is ever cut), so buttons side by side or stacked stay
    /// apart while their whole cells remain touchable. A large row is drawn over two
    /// grid rows with glyphs twice the size. Buffers are allocated once; rendering allocates nothing.
    /// The device's panel adapter and the simulator's screen pictures both draw through this class.
    /// </summary>
    public sealed class TextRasterizer
    {
        // Per unscaled pixel column of the prepared row: where it lies on a button's margin.
        private const int BottomOfUpper = 1;
        private const int BottomOfLower = 2;
        private const int Side = 4;

        private readonly TextGrid _grid;
        private readonly PanelPalette _palette;
        private readonly byte[] _bits;
        private readonly byte[] _bitsAbove;
        private readonly bool[] _halfDown;
        private readonly byte[] _styles;
        private readonly byte[] _edges;
        private int _rowScale = 1;

        /// <summary>A rasterizer for <paramref name="grid"/> in the colours of <paramref name="palette"/>.</summary>
        public TextRasterizer(TextGrid grid, PanelPalette palette)
        {
            _grid = grid;
            _palette = palette;
            int width = grid.Columns * TextGrid.CellColumnsPx;
            _bits = new byte[width];
            _bitsAbove = new byte[width];
            _halfDown = new bool[width];
            _styles = new byte[width];
            _edges = new byte[width];
        }

        /// <summary>Bytes in one scanline of a text row.</summary>
        public int ScanlineBytes
        {
            get { return _grid.TextWidthPx * 2; }
        }

        /// <summary>Scanlines of the prepared row: one cell's height, two for a large row.</summary>
        public int PreparedHeightPx
        {
            get { return _grid.CellHeightPx * _rowScale; }
        }

        /// <summary>The RGB565 value of a colour given as 8-bit red, green and blue.</summary>
        public static int Rgb565(int red, int green, int blue)
        {
            return PanelPalette.Rgb565(red, green, blue);
        }

        /// <summary>
        /// Loads row <paramref name="row"/> of <paramref name="frame"/> (with the row below it when
        /// it is a large row). The frame may have fewer columns than the grid: the rest is blank.
        /// </summary>
        public void PrepareRow(PanelFrame frame, int row)
        {
            bool large = frame.IsLarge(row);
            _rowScale = large ? 2 : 1;
            int cellPx = TextGrid.CellColumnsPx;
            for (int x = 0; x < _bits.Length; x++)
            {
                int column = x / cellPx;
                char c;
                int glyphColumn;
                if (large)
                {
                    int bigCell = x / (2 * cellPx);
                    c = frame.CharAt(row, bigCell);
                    glyphColumn = (x - (bigCell * 2 * cellPx)) / 2;
                }
                else
                {
                    c = frame.CharAt(row, column);
                    glyphColumn = x - (column * cellPx);
                }

                _bits[x] = glyphColumn < Font5x7.GlyphColumns ? (byte)Font5x7.Column(c, glyphColumn) : (byte)0;
                _halfDown[x] = !large && frame.IsHalfRowDown(row, column);
                bool above = _halfDown[x] && glyphColumn < Font5x7.GlyphColumns && frame.ShowsRowAbove(row, column);
                _bitsAbove[x] = above ? (byte)Font5x7.Column(frame.CharAt(row - 1, column), glyphColumn) : (byte)0;
                _styles[x] = (byte)frame.StyleAt(row, column);
                int edges = x == ((column + 1) * cellPx) - 1 && frame.IsButtonEdge(row, column, false) ? Side : 0;
                edges |= frame.IsButtonEdgeRow(row, column, false) ? BottomOfUpper : 0;
                if (large)
                {
                    edges |= frame.IsButtonEdgeRow(row + 1, column, false) ? BottomOfLower : 0;
                }

                _edges[x] = (byte)edges;
            }
        }

        /// <summary>Fills <paramref name="buffer"/> with scanline <paramref name="scanline"/> (0 to <see cref="PreparedHeightPx"/> - 1) of the prepared row.</summary>
        public void RenderScanline(int scanline, byte[] buffer)
        {
            if (scanline < 0 || scanline >= PreparedHeightPx)
            {
                throw new ArgumentOutOfRangeException(nameof(scanline));
            }

            if (buffer.Length < ScanlineBytes)
            {
                throw new ArgumentOutOfRangeException(nameof(buffer));
            }

            int cellHeight = _grid.CellHeightPx;
            int scaleY = _grid.ScaleY;
            int lower = scanline / cellHeight;
            int unscaledRow = (scanline - (lower * cellHeight)) / scaleY;
            int edgeMask = Side;
            if (unscaledRow == TextGrid.CellRowsPx - 1)
            {
                edgeMask |= lower == 0 ? BottomOfUpper : BottomOfLower;
            }

            int bit = 1 << (scanline / (scaleY * _rowScale));

            // Text half a row lower: the top half shows the lower glyph rows of the row above.
            int half = cellHeight / 2;
            bool upperHalf = scanline < half;
            int shiftedBit = 1 << ((upperHalf ? scanline + half : scanline - half) / scaleY);
            int scale = _grid.ScaleX;
            int at = 0;
            for (int x = 0; x < _bits.Length; x++)
            {
                int style = _styles[x];
                bool inset = (_edges[x] & edgeMask) != 0;
                bool lit = !inset && (_halfDown[x] ? ((upperHalf ? _bitsAbove[x] : _bits[x]) & shiftedBit) != 0 : (_bits[x] & bit) != 0);
                byte high;
                byte low;
                if (inset)
                {
                    high = _palette.BackgroundHigh(PanelStyles.Normal);
                    low = _palette.BackgroundLow(PanelStyles.Normal);
                }
                else if (lit)
                {
                    high = _palette.ForegroundHigh(style);
                    low = _palette.ForegroundLow(style);
                }
                else
                {
                    high = _palette.BackgroundHigh(style);
                    low = _palette.BackgroundLow(style);
                }

                for (int s = 0; s < scale; s++)
                {
                    buffer[at] = high;
                    buffer[at + 1] = low;
                    at += 2;
                }
            }
        }

        /// <summary>Fills all of <paramref name="buffer"/> (an even length) with the body background, for clearing the screen.</summary>
        public void FillBackground(byte[] buffer)
        {
            byte high = _palette.BackgroundHigh(PanelStyles.Normal);
            byte low = _palette.BackgroundLow(PanelStyles.Normal);
            for (int i = 0; i + 1 < buffer.Length; i += 2)
            {
                buffer[i] = high;
                buffer[i + 1] = low;
            }
        }
    }
}
