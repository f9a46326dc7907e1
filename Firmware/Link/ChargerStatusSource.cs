using ChargerFirmware.Control;

namespace ChargerFirmware.Link
{
    /// <summary>The charging core as the link's <see cref="IStatusSource"/>.</summary>
    public sealed class ChargerStatusSource : IStatusSource
    {
        private readonly Charger _charger;

        /// <summary>Reads the snapshots of <paramref name="charger"/>.</summary>
        public ChargerStatusSource(Charger charger)
        {
            _charger = charger;
        }

        /// <inheritdoc/>
        public void CopyStatus(ChargerStatus into)
        {
            _charger.CopyStatus(into);
        }
    }
}
