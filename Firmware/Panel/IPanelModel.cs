namespace ChargerFirmware.Panel
{
    /// <summary>
    /// What the panel's worker draws: the lines the control loop rendered last and the buttons they
    /// carry. The session implements it; the worker reads it from its own thread.
    /// </summary>
    public interface IPanelModel
    {
        /// <summary>The button layout of the screen, to map touches (layout only, safe from any thread).</summary>
        ConsentScreen Screen { get; }

        /// <summary>Copies the panel's lines into <paramref name="into"/> (any thread); returns their version, which changes with every redraw.</summary>
        int CopyPanel(string[] into);
    }
}
