namespace ChargerFirmware.Drivers.Panel
{
    /// <summary>
    /// Puts a <see cref="PanelFrame"/> on a screen through an <see cref="IPixelWindow"/>: the rows whose
    /// text or boxes changed since the last frame, each rasterized one scanline at a time. The device's
    /// display and the simulator's pictures share it, so both show the same pixels.
    /// </summary>
    public sealed class FramePainter
    {
        private readonly TextGrid _grid;
        private readonly TextRasterizer _rasterizer;
        private readonly RowCache _rows;
        private readonly byte[] _scanline;
        private readonly byte[] _clearLine;

        /// <summary>A painter for frames of the grid's size.</summary>
        public FramePainter(TextGrid grid, TextRasterizer rasterizer)
        {
            _grid = grid;
            _rasterizer = rasterizer;
            _rows = new RowCache(grid.Rows, grid.Columns);
            _scanline = new byte[rasterizer.ScanlineBytes];
            _clearLine = new byte[grid.WidthPx * 2];
            rasterizer.FillBackground(_clearLine);
        }

        /// <summary>The grid painted on.</summary>
        public TextGrid Grid
        {
            get { return _grid; }
        }

        /// <summary>Fills the whole screen with the body background; the next frame draws every row.</summary>
        public void Clear(IPixelWindow target)
        {
            target.OpenWindow(0, 0, _grid.WidthPx - 1, _grid.HeightPx - 1);
            for (int y = 0; y < _grid.HeightPx; y++)
            {
                target.WritePixels(_clearLine, _clearLine.Length);
            }

            _rows.Invalidate();
        }

        /// <summary>Draws the rows of <paramref name="frame"/> that changed; returns how many grid rows it drew.</summary>
        public int Paint(PanelFrame frame, IPixelWindow target)
        {
            int drawn = 0;
            int rows = frame.Rows < _grid.Rows ? frame.Rows : _grid.Rows;
            for (int row = 0; row < rows; row++)
            {
                if (frame.IsUnderLarge(row))
                {
                    _rows.MarkCovered(row);
                    continue;
                }

                if (!_rows.NeedsDraw(frame, row))
                {
                    continue;
                }

                _rasterizer.PrepareRow(frame, row);
                int height = _rasterizer.PreparedHeightPx;
                int top = _grid.RowTopPx(row);
                target.OpenWindow(_grid.LeftPx, top, _grid.LeftPx + _grid.TextWidthPx - 1, top + height - 1);
                for (int scanline = 0; scanline < height; scanline++)
                {
                    _rasterizer.RenderScanline(scanline, _scanline);
                    target.WritePixels(_scanline, _scanline.Length);
                }

                drawn += height / _grid.CellHeightPx;
            }

            return drawn;
        }
    }
}
