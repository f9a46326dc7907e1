using ChargerFirmware.Protocol.Json;

namespace ChargerFirmware.Protocol.Messages
{
    /// <summary>
    /// consent/request (charger to the driver's phone, QoS 1): may the aggregator use the vehicle of
    /// session <see cref="SessionId"/> at these prices? The answer must echo <see cref="Nonce"/> and
    /// arrive before <see cref="DeadlineMs"/>.
    /// </summary>
    public sealed class ConsentRequestMessage : Message
    {
        private const int FieldSessionId = 1;
        private const int FieldNonce = 2;
        private const int FieldVehicleId = 3;
        private const int FieldBuyPrice = 4;
        private const int FieldSellPrice = 5;
        private const int FieldCurrency = 6;
        private const int FieldDeadline = 7;

        private static readonly FieldTable Table = new FieldTable(
            "",
            new string[] { "v", "sessionId", "nonce", "vehicleId", "buyPrice", "sellPrice", "currency", "deadline" },
            (1L << 0) | (1L << FieldSessionId) | (1L << FieldNonce) | (1L << FieldVehicleId) | (1L << FieldBuyPrice)
            | (1L << FieldSellPrice) | (1L << FieldCurrency) | (1L << FieldDeadline));

        /// <summary>"sessionId": the plug-in session.</summary>
        public string? SessionId;

        /// <summary>"nonce": fresh per request; the response must echo it.</summary>
        public string? Nonce;

        /// <summary>"vehicleId": the vehicle (e.g. its EVCCID), or null when unknown.</summary>
        public string? VehicleId;

        /// <summary>"buyPrice": current price per kWh the driver pays for charging, milli-currency.</summary>
        public long BuyPriceMilli;

        /// <summary>"sellPrice": current price per kWh the driver earns for discharging, milli-currency.</summary>
        public long SellPriceMilli;

        /// <summary>"currency": ISO 4217 code.</summary>
        public string? Currency;

        /// <summary>"deadline": no answer by then counts as denied, Unix ms.</summary>
        public long DeadlineMs;

        /// <inheritdoc/>
        public override int Kind
        {
            get { return MessageKind.ConsentRequest; }
        }

        internal override FieldTable Fields
        {
            get { return Table; }
        }

        /// <inheritdoc/>
        public override void Clear()
        {
            SessionId = null;
            Nonce = null;
            VehicleId = null;
            BuyPriceMilli = 0;
            SellPriceMilli = 0;
            Currency = null;
            DeadlineMs = 0;
        }

        internal override void WriteFields(JsonWriter writer)
        {
            writer.WriteString(Table.Keys[FieldSessionId], SessionId);
            writer.WriteString(Table.Keys[FieldNonce], Nonce);
            writer.WriteString(Table.Keys[FieldVehicleId], VehicleId);
            writer.WriteMilli(Table.Keys[FieldBuyPrice], BuyPriceMilli);
            writer.WriteMilli(Table.Keys[FieldSellPrice], SellPriceMilli);
            writer.WriteString(Table.Keys[FieldCurrency], Currency);
            writer.WriteTime(Table.Keys[FieldDeadline], DeadlineMs);
        }

        internal override string? ReadField(JsonReader reader, int field)
        {
            switch (field)
            {
                case FieldSessionId:
                    return Refuse(FieldRead.Token(reader, out SessionId), field);
                case FieldNonce:
                    return Refuse(FieldRead.Token(reader, out Nonce), field);
                case FieldVehicleId:
                    return Refuse(FieldRead.NullableToken(reader, out VehicleId), field);
                case FieldBuyPrice:
                    return Refuse(FieldRead.Price(reader, out BuyPriceMilli), field);
                case FieldSellPrice:
                    return Refuse(FieldRead.Price(reader, out SellPriceMilli), field);
                case FieldCurrency:
                    return Refuse(FieldRead.Currency(reader, out Currency), field);
                default:
                    return Refuse(reader.TryGetTime(out DeadlineMs), field);
            }
        }
    }
}
