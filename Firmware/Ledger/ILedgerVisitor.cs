namespace ChargerFirmware.Ledger
{
    /// <summary>Receives records one at a time from <see cref="LedgerJournal.VisitVehicle"/> (the object is reused: copy what you keep).</summary>
    public interface ILedgerVisitor
    {
        /// <summary>One record.</summary>
        void Visit(LedgerRecord record);
    }
}
