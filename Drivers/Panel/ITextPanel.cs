namespace ChargerFirmware.Drivers.Panel
{
    /// <summary>
    /// The charger's touch panel as a grid of text rows: the screen model renders fixed-width lines and
    /// names its buttons by int ids; the panel draws the lines and reports which button was tapped.
    /// </summary>
    public interface ITextPanel
    {
        /// <summary>Characters per row.</summary>
        int Columns { get; }

        /// <summary>Rows on the screen.</summary>
        int Rows { get; }

        /// <summary>Where the buttons are (text cells and ids); the screen model fills it, the panel reads it.</summary>
        ButtonLayout Buttons { get; }

        /// <summary>
        /// Shows <paramref name="lines"/>[0..<paramref name="count"/>) from the top row, blank below,
        /// each cut or padded to <see cref="Columns"/>. Redraws only rows that changed (or all of them
        /// after <see cref="Buttons"/> changed, since buttons are drawn inverted).
        /// </summary>
        void Show(string[] lines, int count);

        /// <summary>
        /// Polls the touch controller once; returns the id of a button pressed and released on that
        /// same button since the last call, or <see cref="ButtonLayout.NoButton"/>.
        /// </summary>
        int ReadButton();
    }
}
