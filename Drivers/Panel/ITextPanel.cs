namespace ChargerFirmware.Drivers.Panel
{
    /// <summary>
    /// The charger's touch panel as a grid of text cells: the screen model fills a
    /// <see cref="PanelFrame"/> (characters, coloured boxes, buttons by int id); the panel draws it and
    /// reports which of its buttons was tapped.
    /// </summary>
    public interface ITextPanel
    {
        /// <summary>Characters per row.</summary>
        int Columns { get; }

        /// <summary>Rows on the screen.</summary>
        int Rows { get; }

        /// <summary>Shows <paramref name="frame"/>, redrawing only the rows whose text or boxes changed.</summary>
        void Show(PanelFrame frame);

        /// <summary>
        /// Polls the touch controller once; returns the id of a button of <paramref name="buttons"/>
        /// (the frame shown) pressed and released on that same button since the last call, or
        /// <see cref="TouchButtonTracker.NoButton"/>.
        /// </summary>
        int ReadButton(ICellButtons buttons);
    }
}
