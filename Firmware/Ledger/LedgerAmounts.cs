namespace ChargerFirmware.Ledger
{
    /// <summary>
    /// The one rounding rule for money: per-record floor with the remainder carried.
    /// A record's exact value is Wh x price / 1000 milli-units (price in milli-units per kWh).
    /// Each record gets floor((Wh x price + carry) / 1000) and passes the remainder (0..999, in
    /// thousandths of a milli-unit) to the next record of the same kind in the same session.
    /// So, within one session and kind, the amounts add up exactly to floor(sum(Wh x price) / 1000),
    /// and each record differs from its own exact value by less than 1 milli-unit. Negative prices
    /// floor towards minus infinity, so the rule holds for them too.
    /// </summary>
    public static class LedgerAmounts
    {
        /// <summary>Thousandths of a milli-unit in one milli-unit (Wh per kWh).</summary>
        public const long WhPerKWh = 1000;

        /// <summary>
        /// The amount in milli-units for <paramref name="wh"/> at <paramref name="priceMilliPerKWh"/>,
        /// given the remainder <paramref name="carryIn"/> left by the previous record of the same
        /// session and kind (0 for the first); <paramref name="carryOut"/> is the remainder for the next one.
        /// </summary>
        public static long AmountMilli(long wh, long priceMilliPerKWh, long carryIn, out long carryOut)
        {
            long exact = wh * priceMilliPerKWh + carryIn;
            long amount = FloorDiv(exact, WhPerKWh);
            carryOut = exact - amount * WhPerKWh;
            return amount;
        }

        /// <summary>Division rounding towards minus infinity (<paramref name="divisor"/> must be positive).</summary>
        public static long FloorDiv(long dividend, long divisor)
        {
            long quotient = dividend / divisor;
            if (dividend % divisor < 0)
            {
                quotient--;
            }

            return quotient;
        }
    }
}
