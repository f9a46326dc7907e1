using System;

namespace ChargerFirmware.Drivers.Panel
{
    /// <summary>
    /// A screen divided into text cells of <see cref="Font5x7"/> (6 x 8 pixels) magnified by integer
    /// horizontal and vertical scales, centred on the screen. Maps rows to pixels for drawing and touch
    /// pixels back to cells.
    /// </summary>
    public sealed class TextGrid
    {
        /// <summary>Unscaled cell width: the glyph and one blank column.</summary>
        public const int CellColumnsPx = Font5x7.GlyphColumns + 1;

        /// <summary>Unscaled cell height: the glyph and one blank row.</summary>
        public const int CellRowsPx = Font5x7.GlyphRows + 1;

        private readonly int _widthPx;
        private readonly int _heightPx;
        private readonly int _scaleX;
        private readonly int _scaleY;
        private readonly int _columns;
        private readonly int _rows;
        private readonly int _leftPx;
        private readonly int _topPx;

        /// <summary>
        /// A grid on a <paramref name="widthPx"/> x <paramref name="heightPx"/> screen with glyphs
        /// magnified <paramref name="scaleX"/> times across and <paramref name="scaleY"/> times down.
        /// </summary>
        public TextGrid(int widthPx, int heightPx, int scaleX, int scaleY)
        {
            if (scaleX < 1 || scaleY < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(scaleX));
            }

            if (widthPx < CellColumnsPx * scaleX || heightPx < CellRowsPx * scaleY)
            {
                throw new ArgumentOutOfRangeException(nameof(widthPx));
            }

            _widthPx = widthPx;
            _heightPx = heightPx;
            _scaleX = scaleX;
            _scaleY = scaleY;
            _columns = widthPx / (CellColumnsPx * scaleX);
            _rows = heightPx / (CellRowsPx * scaleY);
            _leftPx = (widthPx - (_columns * CellColumnsPx * scaleX)) / 2;
            _topPx = (heightPx - (_rows * CellRowsPx * scaleY)) / 2;
        }

        /// <summary>Screen width in pixels.</summary>
        public int WidthPx
        {
            get { return _widthPx; }
        }

        /// <summary>Screen height in pixels.</summary>
        public int HeightPx
        {
            get { return _heightPx; }
        }

        /// <summary>Horizontal magnification of the font.</summary>
        public int ScaleX
        {
            get { return _scaleX; }
        }

        /// <summary>Vertical magnification of the font.</summary>
        public int ScaleY
        {
            get { return _scaleY; }
        }

        /// <summary>Characters per row.</summary>
        public int Columns
        {
            get { return _columns; }
        }

        /// <summary>Text rows on the screen.</summary>
        public int Rows
        {
            get { return _rows; }
        }

        /// <summary>Cell width in pixels.</summary>
        public int CellWidthPx
        {
            get { return CellColumnsPx * _scaleX; }
        }

        /// <summary>Cell height in pixels.</summary>
        public int CellHeightPx
        {
            get { return CellRowsPx * _scaleY; }
        }

        /// <summary>Left edge of the text area (the grid is centred).</summary>
        public int LeftPx
        {
            get { return _leftPx; }
        }

        /// <summary>Width of the text area in pixels.</summary>
        public int TextWidthPx
        {
            get { return _columns * CellColumnsPx * _scaleX; }
        }

        /// <summary>Top pixel row of text row <paramref name="row"/>.</summary>
        public int RowTopPx(int row)
        {
            return _topPx + (row * CellRowsPx * _scaleY);
        }

        /// <summary>The cell under pixel (<paramref name="xPx"/>, <paramref name="yPx"/>); false in the margins or off screen.</summary>
        public bool TryCellAt(int xPx, int yPx, out int row, out int column)
        {
            row = -1;
            column = -1;
            int x = xPx - _leftPx;
            int y = yPx - _topPx;
            if (x < 0 || y < 0)
            {
                return false;
            }

            int c = x / CellWidthPx;
            int r = y / CellHeightPx;
            if (c >= _columns || r >= _rows)
            {
                return false;
            }

            row = r;
            column = c;
            return true;
        }
    }
}
