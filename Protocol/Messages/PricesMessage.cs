using ChargerFirmware.Protocol.Json;

namespace ChargerFirmware.Protocol.Messages
{
    /// <summary>prices (aggregator to charger, retained): the tariff per kWh valid from <see cref="ValidFromMs"/> until <see cref="ValidToMs"/>.</summary>
    public sealed class PricesMessage : Message
    {
        private const int FieldValidFrom = 1;
        private const int FieldValidTo = 2;
        private const int FieldBuyPrice = 3;
        private const int FieldSellPrice = 4;
        private const int FieldCurrency = 5;

        private static readonly FieldTable Table = new FieldTable(
            "",
            new string[] { "v", "validFrom", "validTo", "buyPrice", "sellPrice", "currency" },
            (1L << 0) | (1L << FieldValidFrom) | (1L << FieldValidTo) | (1L << FieldBuyPrice) | (1L << FieldSellPrice) | (1L << FieldCurrency));

        /// <summary>"validFrom": start of validity, Unix ms.</summary>
        public long ValidFromMs;

        /// <summary>"validTo": end of validity (exclusive, after validFrom), Unix ms.</summary>
        public long ValidToMs;

        /// <summary>"buyPrice": what the driver pays per kWh charged, milli-currency.</summary>
        public long BuyPriceMilli;

        /// <summary>"sellPrice": what the driver earns per kWh discharged, milli-currency.</summary>
        public long SellPriceMilli;

        /// <summary>"currency": ISO 4217 code.</summary>
        public string? Currency;

        /// <inheritdoc/>
        public override int Kind
        {
            get { return MessageKind.Prices; }
        }

        internal override FieldTable Fields
        {
            get { return Table; }
        }

        /// <inheritdoc/>
        public override void Clear()
        {
            ValidFromMs = 0;
            ValidToMs = 0;
            BuyPriceMilli = 0;
            SellPriceMilli = 0;
            Currency = null;
        }

        internal override void WriteFields(JsonWriter writer)
        {
            writer.WriteTime(Table.Keys[FieldValidFrom], ValidFromMs);
            writer.WriteTime(Table.Keys[FieldValidTo], ValidToMs);
            writer.WriteMilli(Table.Keys[FieldBuyPrice], BuyPriceMilli);
            writer.WriteMilli(Table.Keys[FieldSellPrice], SellPriceMilli);
            writer.WriteString(Table.Keys[FieldCurrency], Currency);
        }

        internal override string? ReadField(JsonReader reader, int field)
        {
            switch (field)
            {
                case FieldValidFrom:
                    return Refuse(reader.TryGetTime(out ValidFromMs), field);
                case FieldValidTo:
                    return Refuse(reader.TryGetTime(out ValidToMs), field);
                case FieldBuyPrice:
                    return Refuse(FieldRead.Price(reader, out BuyPriceMilli), field);
                case FieldSellPrice:
                    return Refuse(FieldRead.Price(reader, out SellPriceMilli), field);
                default:
                    return Refuse(FieldRead.Currency(reader, out Currency), field);
            }
        }

        internal override string? Check(long seen)
        {
            return ValidToMs > ValidFromMs ? null : Table.OutOfRange[FieldValidTo];
        }
    }
}
