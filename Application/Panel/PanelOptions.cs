namespace ChargerFirmware.Panel
{
    /// <summary>How long the panel keeps things on screen; read by the <see cref="DriverPanel"/> at each use.</summary>
    public sealed class PanelOptions
    {
        /// <summary>A receipt stays at most this long after unplug (or until touched): the previous driver's data must not stay on a public panel.</summary>
        public long ReceiptMs = 60000;

        /// <summary>An editor, history or second-thoughts page left untouched this long goes back to the session screen.</summary>
        public long IdleBackMs = 90000;

        /// <summary>Live readings (power, energy, money) redraw at most this often.</summary>
        public long LiveRedrawMs = 1000;

        /// <summary>A short note ("Saved for this car") shows this long.</summary>
        public long NoteMs = 5000;
    }
}
