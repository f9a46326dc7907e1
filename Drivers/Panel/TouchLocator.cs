namespace ChargerFirmware.Drivers.Panel
{
    /// <summary>
    /// From one poll's raw touch readings to the character cell under the finger: median of each axis
    /// (noisy polls dropped), calibration to pixels, pixel to cell.
    /// </summary>
    public sealed class TouchLocator
    {
        private readonly TouchCalibration _calibration;
        private readonly TextGrid _grid;
        private readonly int _maxSpread;

        /// <summary>A locator through <paramref name="calibration"/> onto <paramref name="grid"/>, dropping polls whose readings spread over <paramref name="maxSpread"/>.</summary>
        public TouchLocator(TouchCalibration calibration, TextGrid grid, int maxSpread)
        {
            _calibration = calibration;
            _grid = grid;
            _maxSpread = maxSpread;
        }

        /// <summary>
        /// The cell at the touch read as <paramref name="count"/> raw X and Y values (both arrays are
        /// sorted in place); false when the readings are noisy, off the screen or in the margin.
        /// </summary>
        public bool TryCellAt(int[] rawX, int[] rawY, int count, out int row, out int column)
        {
            row = -1;
            column = -1;
            int x;
            int y;
            int xPx;
            int yPx;
            return TouchSampleFilter.TryMedian(rawX, count, _maxSpread, out x)
                && TouchSampleFilter.TryMedian(rawY, count, _maxSpread, out y)
                && _calibration.TryMap(x, y, out xPx, out yPx)
                && _grid.TryCellAt(xPx, yPx, out row, out column);
        }
    }
}
