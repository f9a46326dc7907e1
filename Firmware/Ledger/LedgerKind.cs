namespace ChargerFirmware.Ledger
{
    /// <summary>
    /// What a ledger record is: the driver's own charging, charging the aggregator asked for, or
    /// discharging the aggregator asked for. Plain integers (not an enum) so the wire and the panel
    /// always show the names below, never a number.
    /// </summary>
    public static class LedgerKind
    {
        private static readonly string[] _names = new string[] { "own-charge", "aggregator-charge", "aggregator-discharge" };

        /// <summary>The driver charges for themselves and pays the buying price.</summary>
        public const int OwnCharge = 0;

        /// <summary>The aggregator raises demand (up DR): the car charges at the aggregator's price.</summary>
        public const int AggregatorCharge = 1;

        /// <summary>The aggregator cuts demand (down DR): the car sells energy at the aggregator's price.</summary>
        public const int AggregatorDischarge = 2;

        /// <summary>How many kinds there are (valid kinds are 0 .. Count-1).</summary>
        public const int Count = 3;

        /// <summary>True for a known kind.</summary>
        public static bool IsValid(int kind)
        {
            return kind >= 0 && kind < Count;
        }

        /// <summary>True for the kinds that move energy into the car (purchases).</summary>
        public static bool IsImport(int kind)
        {
            return kind == OwnCharge || kind == AggregatorCharge;
        }

        /// <summary>The wire and panel name: own-charge, aggregator-charge, aggregator-discharge ("unknown" otherwise).</summary>
        public static string Name(int kind)
        {
            return NameTable.Name(_names, kind);
        }

        /// <summary>The kind called <paramref name="name"/>, or -1 when the name is unknown.</summary>
        public static int Parse(string name)
        {
            return NameTable.Parse(_names, name);
        }
    }
}
