using System;

namespace ChargerFirmware.Drivers.Panel
{
    /// <summary>
    /// What each text row of the panel shows, so a frame redraws only the rows that changed: drawing a
    /// row over SPI from interpreted code costs tens of milliseconds.
    /// </summary>
    public sealed class RowCache
    {
        private readonly string?[] _shown;

        /// <summary>A cache for <paramref name="rows"/> rows; the first frame draws them all.</summary>
        public RowCache(int rows)
        {
            if (rows < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(rows));
            }

            _shown = new string?[rows];
        }

        /// <summary>True when <paramref name="row"/> must be drawn to show <paramref name="text"/>; records it as shown.</summary>
        public bool NeedsDraw(int row, string text)
        {
            if (_shown[row] == text)
            {
                return false;
            }

            _shown[row] = text;
            return true;
        }
    }
}
