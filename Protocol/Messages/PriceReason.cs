namespace ChargerFirmware.Protocol.Messages
{
    /// <summary>
    /// Why a ledger entry has no price ("price": null, "amountMilli": null, "priceReason" says why).
    /// Energy with no price is real energy, counted in the session's Wh, but never in any money total.
    /// </summary>
    public static class PriceReason
    {
        /// <summary>The entry is priced.</summary>
        public const int None = 0;

        /// <summary>"no-tariff": the driver's own charging while no tariff (valid retained prices) was in force.</summary>
        public const int NoTariff = 1;

        /// <summary>"uncommanded": energy flowed in a direction the charger never commanded in this session (no order caused it).</summary>
        public const int Uncommanded = 2;

        /// <summary>"price-unknown": energy an order drove while no price was in force for its direction (the arbiter refuses such flows; kept so it would show, never hidden).</summary>
        public const int PriceUnknown = 3;

        /// <summary>"recovered": energy the converter's own meter counted that no record held when the power failed, booked at the next start; the context it flowed under was lost with the power.</summary>
        public const int Recovered = 4;

        /// <summary>Wire names of the constants above.</summary>
        public static readonly WireNames Names = new WireNames(new string?[] { null, "no-tariff", "uncommanded", "price-unknown", "recovered" });

        /// <summary>True for a reason an unpriced entry may carry (not <see cref="None"/>, not unknown).</summary>
        public static bool IsValid(int reason)
        {
            return reason >= NoTariff && reason <= Recovered;
        }
    }
}
