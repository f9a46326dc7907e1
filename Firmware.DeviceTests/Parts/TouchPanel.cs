using ChargerFirmware.Drivers.Panel;
using ChargerFirmware.Panel;

namespace ChargerFirmware.DeviceTests.Parts
{
    /// <summary>
    /// The driver's touch panel: keeps the lines last shown and, after <see cref="Tap"/>, reports one
    /// touch on the cell where the screen placed that button (found through the screen's own layout).
    /// </summary>
    public sealed class TouchPanel : ITextPanel
    {
        private readonly string[] _shown = new string[ConsentScreen.Height];
        private int _pending = PanelButtons.None;

        /// <summary>Times the panel was redrawn.</summary>
        public int Redraws;

        /// <inheritdoc />
        public int Columns
        {
            get { return ConsentScreen.Width; }
        }

        /// <inheritdoc />
        public int Rows
        {
            get { return ConsentScreen.Height; }
        }

        /// <summary>Line <paramref name="row"/> as last shown (empty before the first redraw).</summary>
        public string Line(int row)
        {
            string? line = _shown[row];
            return line == null ? string.Empty : line;
        }

        /// <summary>The driver touches <paramref name="button"/> (a <see cref="PanelButtons"/> constant) at the next read.</summary>
        public void Tap(int button)
        {
            _pending = button;
        }

        /// <inheritdoc />
        public void Show(string[] lines, int count, ICellButtons buttons)
        {
            for (int i = 0; i < count && i < _shown.Length; i++)
            {
                _shown[i] = lines[i];
            }

            Redraws++;
        }

        /// <inheritdoc />
        public int ReadButton(ICellButtons buttons)
        {
            int wanted = _pending;
            _pending = PanelButtons.None;
            if (wanted == PanelButtons.None)
            {
                return PanelButtons.None;
            }

            for (int row = 0; row < ConsentScreen.Height; row++)
            {
                for (int column = 0; column < ConsentScreen.Width; column++)
                {
                    if (buttons.ButtonAt(row, column) == wanted)
                    {
                        return wanted;
                    }
                }
            }

            return PanelButtons.None;
        }
    }
}
