namespace ChargerFirmware.Protocol.Messages
{
    /// <summary>What a ledger entry records.</summary>
    public static class LedgerKind
    {
        /// <summary>"own-charge": the driver's own charging, bought at the buy price.</summary>
        public const int OwnCharge = 1;

        /// <summary>"aggregator-charge": charging the aggregator dispatched (up DR), bought at the buy price.</summary>
        public const int AggregatorCharge = 2;

        /// <summary>"aggregator-discharge": discharging the aggregator dispatched (down DR), paid at the sell price.</summary>
        public const int AggregatorDischarge = 3;

        /// <summary>Wire names of the constants above.</summary>
        public static readonly WireNames Names = new WireNames(new string?[] { null, "own-charge", "aggregator-charge", "aggregator-discharge" });
    }
}
