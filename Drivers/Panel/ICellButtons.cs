namespace ChargerFirmware.Drivers.Panel
{
    /// <summary>
    /// Where a screen's buttons are, in character cells: the screen model answers for the cell under a
    /// finger (ConsentScreen.ButtonAt has this shape) and the panel draws those cells inverted.
    /// </summary>
    public interface ICellButtons
    {
        /// <summary>The button at <paramref name="row"/>, <paramref name="column"/>, or <see cref="TouchButtonTracker.NoButton"/>.</summary>
        int ButtonAt(int row, int column);
    }
}
