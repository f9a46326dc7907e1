using ChargerFirmware.Protocol.Json;

namespace ChargerFirmware.Protocol.Messages
{
    /// <summary>
    /// ledger (charger to aggregator, QoS 1, idempotent by id): one purchase or sale of energy, resent
    /// until ledger/ack covers its id. amountMilli = wh × price (per kWh) / 1000, in milli-currency,
    /// never negative; the kind says who pays whom. An entry whose price was genuinely unknown has
    /// "price": null, "amountMilli": null and "priceReason" (a <see cref="Messages.PriceReason"/> name);
    /// a priced entry has "priceReason": null.
    /// </summary>
    public sealed class LedgerMessage : Message
    {
        private const int FieldId = 1;
        private const int FieldSessionId = 2;
        private const int FieldVehicleId = 3;
        private const int FieldStart = 4;
        private const int FieldEnd = 5;
        private const int FieldKind = 6;
        private const int FieldWh = 7;
        private const int FieldPrice = 8;
        private const int FieldCurrency = 9;
        private const int FieldAmount = 10;
        private const int FieldDispatchId = 11;
        private const int FieldSettlement = 12;
        private const int FieldPriceReason = 13;
        private const int FieldRecovered = 14;

        private static readonly FieldTable Table = new FieldTable(
            "",
            new string[] { "v", "id", "sessionId", "vehicleId", "start", "end", "kind", "wh", "price", "currency", "amountMilli", "dispatchId", "settlement", "priceReason", "recovered" },
            (1L << 13) - 1);

        /// <summary>"id": entry number, 1..2^53-1, increasing.</summary>
        public long Id;

        /// <summary>"sessionId": the plug-in session.</summary>
        public string? SessionId;

        /// <summary>"vehicleId": the vehicle, or null when unknown.</summary>
        public string? VehicleId;

        /// <summary>"start": start of the interval, Unix ms.</summary>
        public long StartMs;

        /// <summary>"end": end of the interval (not before start), Unix ms.</summary>
        public long EndMs;

        /// <summary>"kind": a <see cref="LedgerKind"/> constant.</summary>
        public int EntryKind;

        /// <summary>"wh": energy moved, Wh, never negative.</summary>
        public long Wh;

        /// <summary>"price": price per kWh applied, milli-currency (meaningful when <see cref="PriceReason"/> is <see cref="Messages.PriceReason.None"/>).</summary>
        public long PriceMilli;

        /// <summary>"priceReason": <see cref="Messages.PriceReason.None"/> for a priced entry (null on the wire), else why price and amount are null.</summary>
        public int PriceReason;

        /// <summary>"currency": ISO 4217 code.</summary>
        public string? Currency;

        /// <summary>"amountMilli": the money, milli-currency.</summary>
        public long AmountMilli;

        /// <summary>"dispatchId": the dispatch that caused it, or null (own charging).</summary>
        public string? DispatchId;

        /// <summary>"settlement": a <see cref="Messages.Settlement"/> constant.</summary>
        public int Settlement;

        /// <summary>
        /// "recovered" (written only when true): energy the converter's own meter counted that no
        /// record held when the power failed, booked at the next start without a price (priceReason
        /// "recovered": the context it flowed under was lost with the power); from start (the previous
        /// record's end) to end (the boot).
        /// </summary>
        public bool Recovered;

        // Decoding only: whether price and amountMilli came as null.
        private bool _priceNull;
        private bool _amountNull;

        /// <inheritdoc/>
        public override int Kind
        {
            get { return MessageKind.Ledger; }
        }

        internal override FieldTable Fields
        {
            get { return Table; }
        }

        /// <inheritdoc/>
        public override void Clear()
        {
            Id = 0;
            SessionId = null;
            VehicleId = null;
            StartMs = 0;
            EndMs = 0;
            EntryKind = 0;
            Wh = 0;
            PriceMilli = 0;
            PriceReason = Messages.PriceReason.None;
            _priceNull = false;
            _amountNull = false;
            Currency = null;
            AmountMilli = 0;
            DispatchId = null;
            Settlement = 0;
            Recovered = false;
        }

        internal override void WriteFields(JsonWriter writer)
        {
            writer.WriteInteger(Table.Keys[FieldId], Id);
            writer.WriteString(Table.Keys[FieldSessionId], SessionId);
            writer.WriteString(Table.Keys[FieldVehicleId], VehicleId);
            writer.WriteTime(Table.Keys[FieldStart], StartMs);
            writer.WriteTime(Table.Keys[FieldEnd], EndMs);
            writer.WriteString(Table.Keys[FieldKind], LedgerKind.Names.Name(EntryKind));
            writer.WriteInteger(Table.Keys[FieldWh], Wh);
            bool priced = PriceReason == Messages.PriceReason.None;
            if (priced)
            {
                writer.WriteMilli(Table.Keys[FieldPrice], PriceMilli);
            }
            else
            {
                writer.Name(Table.Keys[FieldPrice]);
                writer.NullValue();
            }

            writer.WriteString(Table.Keys[FieldCurrency], Currency);
            writer.WriteInteger(Table.Keys[FieldAmount], priced, AmountMilli);
            writer.WriteString(Table.Keys[FieldDispatchId], DispatchId);
            writer.WriteString(Table.Keys[FieldSettlement], Messages.Settlement.Names.Name(Settlement));
            writer.WriteString(Table.Keys[FieldPriceReason], Messages.PriceReason.Names.Name(PriceReason));
            if (Recovered)
            {
                writer.WriteBool(Table.Keys[FieldRecovered], true);
            }
        }

        internal override string? ReadField(JsonReader reader, int field)
        {
            switch (field)
            {
                case FieldId:
                    return Refuse(reader.TryGetInteger(1, Limits.MaxCounter, out Id), field);
                case FieldSessionId:
                    return Refuse(FieldRead.Token(reader, out SessionId), field);
                case FieldVehicleId:
                    return Refuse(FieldRead.NullableToken(reader, out VehicleId), field);
                case FieldStart:
                    return Refuse(reader.TryGetTime(out StartMs), field);
                case FieldEnd:
                    return Refuse(reader.TryGetTime(out EndMs), field);
                case FieldKind:
                    return Refuse(FieldRead.Name(reader, LedgerKind.Names, out EntryKind), field);
                case FieldWh:
                    return Refuse(FieldRead.Counter(reader, out Wh), field);
                case FieldPrice:
                    _priceNull = FieldRead.IsNull(reader);
                    return Refuse(_priceNull || FieldRead.Price(reader, out PriceMilli), field);
                case FieldCurrency:
                    return Refuse(FieldRead.Currency(reader, out Currency), field);
                case FieldAmount:
                    _amountNull = FieldRead.IsNull(reader);
                    return Refuse(_amountNull || FieldRead.Counter(reader, out AmountMilli), field);
                case FieldDispatchId:
                    return Refuse(FieldRead.NullableToken(reader, out DispatchId), field);
                case FieldSettlement:
                    return Refuse(FieldRead.Name(reader, Messages.Settlement.Names, out Settlement), field);
                case FieldRecovered:
                    return Refuse(reader.TryGetBool(out Recovered), field);
                default:
                    return Refuse(FieldRead.IsNull(reader) || FieldRead.Name(reader, Messages.PriceReason.Names, out PriceReason), field);
            }
        }

        // A null price comes with a null amount and a reason; a price with an amount and no reason.
        internal override string? Check(long seen)
        {
            if (EndMs < StartMs)
            {
                return Table.OutOfRange[FieldEnd];
            }

            bool unpriced = PriceReason != Messages.PriceReason.None;
            if (_priceNull != unpriced)
            {
                return Table.OutOfRange[FieldPrice];
            }

            return _amountNull != unpriced ? Table.OutOfRange[FieldAmount] : null;
        }
    }
}
