using System;
using ChargerFirmware.Drivers.Analog;

namespace ChargerFirmware.Drivers.Panel
{
    /// <summary>
    /// Raw resistive-touch readings to screen pixels: a straight line per axis through the raw values
    /// read at the screen's edges (measured once per panel; either axis may run backwards, and the
    /// controller's X channel may measure the screen's vertical axis when the panel is mounted turned).
    /// Touches a little outside the screen clamp to its edge; touches far outside are noise.
    /// </summary>
    public sealed class TouchCalibration
    {
        /// <summary>How far outside the screen (per-mille of its size) a touch may map and still clamp to the edge.</summary>
        public const int EdgeSlackPermille = 50;

        private readonly int _rawLeft;
        private readonly int _rawHorizontalSpan;
        private readonly int _rawTop;
        private readonly int _rawVerticalSpan;
        private readonly bool _swapAxes;
        private readonly int _widthPx;
        private readonly int _heightPx;

        /// <summary>
        /// A calibration where the horizontal channel reads <paramref name="rawLeft"/> at pixel column 0
        /// and <paramref name="rawRight"/> at the last column, the vertical channel
        /// <paramref name="rawTop"/> at pixel row 0 and <paramref name="rawBottom"/> at the last row.
        /// With <paramref name="swapAxes"/> the controller's Y channel is the horizontal one.
        /// </summary>
        public TouchCalibration(int rawLeft, int rawRight, int rawTop, int rawBottom, bool swapAxes, int widthPx, int heightPx)
        {
            if (rawLeft == rawRight || rawTop == rawBottom)
            {
                throw new ArgumentOutOfRangeException(nameof(rawRight));
            }

            if (widthPx < 2 || heightPx < 2)
            {
                throw new ArgumentOutOfRangeException(nameof(widthPx));
            }

            _rawLeft = rawLeft;
            _rawHorizontalSpan = rawRight - rawLeft;
            _rawTop = rawTop;
            _rawVerticalSpan = rawBottom - rawTop;
            _swapAxes = swapAxes;
            _widthPx = widthPx;
            _heightPx = heightPx;
        }

        /// <summary>The pixel for controller readings (<paramref name="rawX"/>, <paramref name="rawY"/>); false when it lies well off the screen.</summary>
        public bool TryMap(int rawX, int rawY, out int xPx, out int yPx)
        {
            int horizontal = _swapAxes ? rawY : rawX;
            int vertical = _swapAxes ? rawX : rawY;
            bool xOk = TryAxis(horizontal, _rawLeft, _rawHorizontalSpan, _widthPx, out xPx);
            bool yOk = TryAxis(vertical, _rawTop, _rawVerticalSpan, _heightPx, out yPx);
            return xOk && yOk;
        }

        private static bool TryAxis(int raw, int rawAtZero, int rawSpan, int sizePx, out int px)
        {
            int last = sizePx - 1;
            long numerator = (long)(raw - rawAtZero) * last;
            long denominator = rawSpan;
            if (denominator < 0)
            {
                numerator = -numerator;
                denominator = -denominator;
            }

            px = (int)IntegerMath.DivideRounded(numerator, denominator);
            int slack = (int)IntegerMath.DivideRounded((long)sizePx * EdgeSlackPermille, 1000);
            if (px < -slack || px > last + slack)
            {
                return false;
            }

            px = px < 0 ? 0 : (px > last ? last : px);
            return true;
        }
    }
}
