using System;

namespace ChargerFirmware.Drivers.Panel
{
    /// <summary>
    /// Draws one text row of a <see cref="TextGrid"/> into RGB565 pixels, one scanline at a time, in the
    /// byte order SPI displays such as the ILI9341 and ST7796S expect (high byte first). Cells of a
    /// button are drawn inverted. Buffers are allocated once; rendering allocates nothing.
    /// </summary>
    public sealed class TextRasterizer
    {
        private readonly TextGrid _grid;
        private readonly byte _foregroundHigh;
        private readonly byte _foregroundLow;
        private readonly byte _backgroundHigh;
        private readonly byte _backgroundLow;
        private readonly byte[] _cellColumns;
        private readonly bool[] _cellInverted;

        /// <summary>A rasterizer for <paramref name="grid"/> in RGB565 colours.</summary>
        public TextRasterizer(TextGrid grid, int foreground565, int background565)
        {
            _grid = grid;
            _foregroundHigh = (byte)(foreground565 >> 8);
            _foregroundLow = (byte)foreground565;
            _backgroundHigh = (byte)(background565 >> 8);
            _backgroundLow = (byte)background565;
            _cellColumns = new byte[grid.Columns * TextGrid.CellColumnsPx];
            _cellInverted = new bool[grid.Columns];
        }

        /// <summary>Bytes in one scanline of a text row.</summary>
        public int ScanlineBytes
        {
            get { return _grid.TextWidthPx * 2; }
        }

        /// <summary>The RGB565 value of a colour given as 8-bit red, green and blue.</summary>
        public static int Rgb565(int red, int green, int blue)
        {
            return ((red & 0xF8) << 8) | ((green & 0xFC) << 3) | (blue >> 3);
        }

        /// <summary>
        /// Loads row <paramref name="row"/> with <paramref name="text"/> (cut or padded with blanks to the
        /// grid's width), inverting the cells where <paramref name="buttons"/> has a button.
        /// </summary>
        public void PrepareRow(string text, int row, ICellButtons buttons)
        {
            int columns = _grid.Columns;
            for (int cell = 0; cell < columns; cell++)
            {
                char c = cell < text.Length ? text[cell] : ' ';
                int at = cell * TextGrid.CellColumnsPx;
                for (int x = 0; x < Font5x7.GlyphColumns; x++)
                {
                    _cellColumns[at + x] = (byte)Font5x7.Column(c, x);
                }

                _cellColumns[at + Font5x7.GlyphColumns] = 0;
                _cellInverted[cell] = buttons.ButtonAt(row, cell) != TouchButtonTracker.NoButton;
            }
        }

        /// <summary>Fills <paramref name="buffer"/> with scanline <paramref name="scanline"/> (0 to the cell height - 1) of the prepared row.</summary>
        public void RenderScanline(int scanline, byte[] buffer)
        {
            if (scanline < 0 || scanline >= _grid.CellHeightPx)
            {
                throw new ArgumentOutOfRangeException(nameof(scanline));
            }

            if (buffer.Length < ScanlineBytes)
            {
                throw new ArgumentOutOfRangeException(nameof(buffer));
            }

            int scale = _grid.ScaleX;
            int bit = 1 << (scanline / _grid.ScaleY);
            int at = 0;
            int columns = _grid.Columns;
            for (int cell = 0; cell < columns; cell++)
            {
                bool inverted = _cellInverted[cell];
                int first = cell * TextGrid.CellColumnsPx;
                for (int x = 0; x < TextGrid.CellColumnsPx; x++)
                {
                    bool lit = ((_cellColumns[first + x] & bit) != 0) != inverted;
                    byte high = lit ? _foregroundHigh : _backgroundHigh;
                    byte low = lit ? _foregroundLow : _backgroundLow;
                    for (int s = 0; s < scale; s++)
                    {
                        buffer[at] = high;
                        buffer[at + 1] = low;
                        at += 2;
                    }
                }
            }
        }

        /// <summary>Fills all of <paramref name="buffer"/> (an even length) with the background colour, for clearing the screen.</summary>
        public void FillBackground(byte[] buffer)
        {
            for (int i = 0; i + 1 < buffer.Length; i += 2)
            {
                buffer[i] = _backgroundHigh;
                buffer[i + 1] = _backgroundLow;
            }
        }
    }
}
