using System;

namespace ChargerFirmware.Drivers.Panel
{
    /// <summary>
    /// What each text row of the panel shows, so a frame redraws only the rows that changed: drawing a
    /// row over SPI from interpreted code costs tens of milliseconds.
    /// </summary>
    public sealed class RowCache
    {
        // Which rows hold text: nanoCLR faults comparing a null element of a string array with a string,
        // so a row is compared only once it was drawn.
        private readonly string[] _shown;
        private readonly bool[] _drawn;

        /// <summary>A cache for <paramref name="rows"/> rows; the first frame draws them all.</summary>
        public RowCache(int rows)
        {
            if (rows < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(rows));
            }

            _shown = new string[rows];
            _drawn = new bool[rows];
        }

        /// <summary>True when <paramref name="row"/> must be drawn to show <paramref name="text"/>; records it as shown.</summary>
        public bool NeedsDraw(int row, string text)
        {
            if (_drawn[row] && _shown[row] == text)
            {
                return false;
            }

            _shown[row] = text;
            _drawn[row] = true;
            return true;
        }
    }
}
