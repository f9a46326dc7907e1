using ChargerFirmware.Protocol.Messages;

namespace ChargerFirmware.Dispatch
{
    /// <summary>
    /// The prices the aggregator offers now (its retained price signal): what it pays for energy
    /// taken out of a car (sell, from the driver's side) and what it charges for energy put in
    /// (buy), each valid in a window. A signal in another currency, or not yet or no longer valid,
    /// offers nothing. Owned by the control loop.
    /// </summary>
    public sealed class PriceBook
    {
        private readonly string _currency;
        private bool _has;
        private long _validFromMs;
        private long _validToMs;

        /// <summary>A price book for the charger's settlement <paramref name="currency"/>.</summary>
        public PriceBook(string currency)
        {
            _currency = currency;
        }

        /// <summary>Buying price (aggregator charging), milli-currency per kWh.</summary>
        public int BuyPriceMilli { get; private set; }

        /// <summary>Selling price (discharge), milli-currency per kWh.</summary>
        public int SellPriceMilli { get; private set; }

        /// <summary>Takes a price signal; returns null, or why it was refused.</summary>
        public string? Update(PricesMessage prices)
        {
            if (prices.Currency != _currency)
            {
                return DispatchReasons.WrongCurrency;
            }

            _has = true;
            _validFromMs = prices.ValidFromMs;
            _validToMs = prices.ValidToMs;
            BuyPriceMilli = (int)prices.BuyPriceMilli;
            SellPriceMilli = (int)prices.SellPriceMilli;
            return null;
        }

        /// <summary>True when prices are in force at <paramref name="utcMs"/> (which needs a synchronised clock).</summary>
        public bool IsValidAt(long utcMs, bool utcValid)
        {
            return _has && utcValid && utcMs >= _validFromMs && utcMs < _validToMs;
        }
    }
}
