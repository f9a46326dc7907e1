using ChargerFirmware.Drivers.Panel;

namespace ChargerFirmware.DeviceTests.Parts
{
    /// <summary>
    /// The driver's touch panel, sized as the reference board's (480 x 320 px, font scaled 2 x 3): keeps
    /// the text last shown and, after <see cref="Tap"/>, reports one touch of that button if the frame
    /// shown holds it (found through the frame's own layout).
    /// </summary>
    public sealed class TouchPanel : ITextPanel
    {
        private readonly TextGrid _grid = new TextGrid(480, 320, 2, 3);
        private readonly string[] _shown;
        private int _pending = TouchButtonTracker.NoButton;

        /// <summary>Times the panel was redrawn.</summary>
        public int Redraws;

        /// <summary>A panel that has shown nothing yet.</summary>
        public TouchPanel()
        {
            _shown = new string[_grid.Rows];
            for (int i = 0; i < _shown.Length; i++)
            {
                _shown[i] = string.Empty;
            }
        }

        /// <inheritdoc />
        public int Columns
        {
            get { return _grid.Columns; }
        }

        /// <inheritdoc />
        public int Rows
        {
            get { return _grid.Rows; }
        }

        /// <summary>Line <paramref name="row"/> as last shown (empty before the first redraw).</summary>
        public string Line(int row)
        {
            return _shown[row];
        }

        /// <summary>True when some line last shown contains <paramref name="text"/>.</summary>
        public bool Shows(string text)
        {
            for (int i = 0; i < _shown.Length; i++)
            {
                if (_shown[i].IndexOf(text) >= 0)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The driver touches the button with id <paramref name="button"/> (a PanelKeys constant) at the next read.</summary>
        public void Tap(int button)
        {
            _pending = button;
        }

        /// <inheritdoc />
        public void Show(PanelFrame frame)
        {
            for (int row = 0; row < _shown.Length && row < frame.Rows; row++)
            {
                _shown[row] = frame.IsUnderLarge(row) ? string.Empty : frame.RowText(row);
            }

            Redraws++;
        }

        /// <inheritdoc />
        public int ReadButton(ICellButtons buttons)
        {
            int wanted = _pending;
            _pending = TouchButtonTracker.NoButton;
            if (wanted == TouchButtonTracker.NoButton)
            {
                return TouchButtonTracker.NoButton;
            }

            for (int row = 0; row < _grid.Rows; row++)
            {
                for (int column = 0; column < _grid.Columns; column++)
                {
                    if (buttons.ButtonAt(row, column) == wanted)
                    {
                        return wanted;
                    }
                }
            }

            return TouchButtonTracker.NoButton;
        }
    }
}
