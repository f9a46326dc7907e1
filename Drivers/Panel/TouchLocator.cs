namespace ChargerFirmware.Drivers.Panel
{
    /// <summary>
    /// From one poll's raw touch readings to the button under the finger: median of each axis (noisy
    /// polls dropped), calibration to pixels, pixel to text cell, cell to button.
    /// </summary>
    public sealed class TouchLocator
    {
        private readonly TouchCalibration _calibration;
        private readonly TextGrid _grid;
        private readonly ButtonLayout _buttons;
        private readonly int _maxSpread;

        /// <summary>A locator through <paramref name="calibration"/> and <paramref name="grid"/> onto <paramref name="buttons"/>, dropping polls whose readings spread over <paramref name="maxSpread"/>.</summary>
        public TouchLocator(TouchCalibration calibration, TextGrid grid, ButtonLayout buttons, int maxSpread)
        {
            _calibration = calibration;
            _grid = grid;
            _buttons = buttons;
            _maxSpread = maxSpread;
        }

        /// <summary>
        /// The button at the touch read as <paramref name="count"/> raw X and Y values (both arrays are
        /// sorted in place), or <see cref="ButtonLayout.NoButton"/> when the readings are noisy, off the
        /// screen, in the margin or on no button.
        /// </summary>
        public int ButtonAt(int[] rawX, int[] rawY, int count)
        {
            int x;
            int y;
            int xPx;
            int yPx;
            int row;
            int column;
            if (TouchSampleFilter.TryMedian(rawX, count, _maxSpread, out x)
                && TouchSampleFilter.TryMedian(rawY, count, _maxSpread, out y)
                && _calibration.TryMap(x, y, out xPx, out yPx)
                && _grid.TryCellAt(xPx, yPx, out row, out column))
            {
                return _buttons.HitTest(row, column);
            }

            return ButtonLayout.NoButton;
        }
    }
}
