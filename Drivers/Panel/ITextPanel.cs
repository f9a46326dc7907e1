namespace ChargerFirmware.Drivers.Panel
{
    /// <summary>
    /// The charger's touch panel as a grid of text cells: the screen model renders fixed-width lines and
    /// names its buttons by int ids per cell (<see cref="ICellButtons"/>); the panel draws the lines and
    /// reports which button was tapped.
    /// </summary>
    public interface ITextPanel
    {
        /// <summary>Characters per row.</summary>
        int Columns { get; }

        /// <summary>Rows on the screen.</summary>
        int Rows { get; }

        /// <summary>
        /// Shows <paramref name="lines"/>[0..<paramref name="count"/>) from the top row, blank below,
        /// each cut or padded to <see cref="Columns"/>, with the cells of <paramref name="buttons"/>
        /// inverted. Redraws only rows whose text changed, so a change of buttons must come with a
        /// change of text on their rows (as the consent screen's button row does).
        /// </summary>
        void Show(string[] lines, int count, ICellButtons buttons);

        /// <summary>
        /// Polls the touch controller once; returns the id of a button of <paramref name="buttons"/>
        /// pressed and released on that same button since the last call, or
        /// <see cref="TouchButtonTracker.NoButton"/>.
        /// </summary>
        int ReadButton(ICellButtons buttons);
    }
}
