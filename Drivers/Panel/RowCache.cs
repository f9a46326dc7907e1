using System;

namespace ChargerFirmware.Drivers.Panel
{
    /// <summary>
    /// What each row of the panel shows (its characters and the signature of its boxes), so a frame
    /// redraws only the rows that changed: drawing a row over SPI from interpreted code costs tens of
    /// milliseconds. Allocated once.
    /// </summary>
    public sealed class RowCache
    {
        private readonly int _rows;
        private readonly int _columns;
        private readonly char[] _shown;
        private readonly int[] _signatures;
        private readonly bool[] _valid;

        /// <summary>A cache for <paramref name="rows"/> rows of <paramref name="columns"/> characters; the first frame draws them all.</summary>
        public RowCache(int rows, int columns)
        {
            if (rows < 1 || columns < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(rows));
            }

            _rows = rows;
            _columns = columns;
            _shown = new char[rows * columns];
            _signatures = new int[rows];
            _valid = new bool[rows];
        }

        /// <summary>Forgets what is shown (after the screen was cleared): every row draws again.</summary>
        public void Invalidate()
        {
            for (int r = 0; r < _rows; r++)
            {
                _valid[r] = false;
            }
        }

        /// <summary>Notes that <paramref name="row"/> is hidden under a large row: it draws again once it shows.</summary>
        public void MarkCovered(int row)
        {
            _valid[row] = false;
        }

        /// <summary>
        /// True when <paramref name="row"/> must be drawn to show <paramref name="frame"/> (its text, the
        /// text below it for a large row, or its boxes changed); records it as shown.
        /// </summary>
        public bool NeedsDraw(PanelFrame frame, int row)
        {
            int signature = frame.RowSignature(row);
            if (frame.IsLarge(row) && row + 1 < frame.Rows)
            {
                signature = (signature * 31) + frame.RowSignature(row + 1);
            }

            bool same = _valid[row] && _signatures[row] == signature;
            int at = row * _columns;
            for (int c = 0; c < _columns; c++)
            {
                char now = frame.CharAt(row, c);
                if (_shown[at + c] != now)
                {
                    _shown[at + c] = now;
                    same = false;
                }
            }

            _signatures[row] = signature;
            _valid[row] = true;
            return !same;
        }
    }
}
