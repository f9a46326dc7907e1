namespace ChargerFirmware.Protocol.Messages
{
    /// <summary>
    /// What a ledger entry records, and whose energy flows in the charger (the arbiter's flow kind,
    /// the ledger's record kind and the wire's "kind" are these constants).
    /// </summary>
    public static class LedgerKind
    {
        /// <summary>No flow / idle: no energy flows (never a ledger entry's kind).</summary>
        public const int None = 0;

        /// <summary>"own-charge": the driver's own charging, bought at the buy price.</summary>
        public const int OwnCharge = 1;

        /// <summary>"aggregator-charge": charging the aggregator dispatched (up DR), bought at the buy price.</summary>
        public const int AggregatorCharge = 2;

        /// <summary>"aggregator-discharge": discharging the aggregator dispatched (down DR), paid at the sell price.</summary>
        public const int AggregatorDischarge = 3;

        /// <summary>Wire names of the constants above.</summary>
        public static readonly WireNames Names = new WireNames(new string?[] { null, "own-charge", "aggregator-charge", "aggregator-discharge" });

        /// <summary>True for a ledger entry's kind (not <see cref="None"/>, not unknown).</summary>
        public static bool IsValid(int kind)
        {
            return kind >= OwnCharge && kind <= AggregatorDischarge;
        }

        /// <summary>True for the kinds that move energy into the car (purchases).</summary>
        public static bool IsImport(int kind)
        {
            return kind == OwnCharge || kind == AggregatorCharge;
        }
    }
}
