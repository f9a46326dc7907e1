namespace ChargerFirmware.Drivers.Panel
{
    /// <summary>
    /// Where a screen's buttons are, in character cells: the button under a finger. A
    /// <see cref="PanelFrame"/> answers for the boxes it shows.
    /// </summary>
    public interface ICellButtons
    {
        /// <summary>The button at <paramref name="row"/>, <paramref name="column"/>, or <see cref="TouchButtonTracker.NoButton"/>.</summary>
        int ButtonAt(int row, int column);
    }
}
