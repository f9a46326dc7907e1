namespace ChargerFirmware.Status
{
    /// <summary>Where the link reads what the charger is doing: a copy taken under the source's own lock, from any thread.</summary>
    public interface IStatusSource
    {
        /// <summary>Copies the latest snapshot into <paramref name="into"/>.</summary>
        void CopyStatus(ChargerStatus into);
    }
}
