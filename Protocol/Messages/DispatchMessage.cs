using ChargerFirmware.Protocol.Json;

namespace ChargerFirmware.Protocol.Messages
{
    /// <summary>
    /// dispatch (aggregator to charger, QoS 1): hold <see cref="SetpointW"/> (positive charges the car,
    /// negative discharges it) from <see cref="StartAtMs"/> (or on receipt) for <see cref="DurationS"/>.
    /// A higher <see cref="Seq"/> supersedes a lower one. A dispatch naming another charger is refused
    /// as "wrong-charger".
    /// </summary>
    public sealed class DispatchMessage : Message
    {
        private const int FieldId = 1;
        private const int FieldSeq = 2;
        private const int FieldIssuedAt = 3;
        private const int FieldStartAt = 4;
        private const int FieldDuration = 5;
        private const int FieldSetpoint = 6;
        private const int FieldRamp = 7;
        private const int FieldBuyPrice = 8;
        private const int FieldSellPrice = 9;
        private const int FieldCurrency = 10;
        private const int FieldChargerId = 11;

        private static readonly FieldTable Table = new FieldTable(
            "",
            new string[] { "v", "id", "seq", "issuedAt", "startAt", "durationS", "setpointW", "rampWps", "buyPrice", "sellPrice", "currency", "chargerId" },
            (1L << 0) | (1L << FieldId) | (1L << FieldSeq) | (1L << FieldIssuedAt) | (1L << FieldDuration) | (1L << FieldSetpoint));

        /// <summary>"id": the dispatch id (1..64 visible ASCII) every ack echoes.</summary>
        public string? Id;

        /// <summary>"seq": ordering number, 1..2^53-1 (<see cref="Limits.MaxSeq"/>); a higher one supersedes.</summary>
        public long Seq;

        /// <summary>"issuedAt": when the aggregator issued it, Unix ms.</summary>
        public long IssuedAtMs;

        /// <summary>True when "startAt" is present.</summary>
        public bool HasStartAt;

        /// <summary>"startAt": when to apply it, Unix ms (absent: on receipt).</summary>
        public long StartAtMs;

        /// <summary>"durationS": how long it holds, 1..86400 s.</summary>
        public int DurationS;

        /// <summary>"setpointW": -100000..100000 W, positive charges the car, negative discharges it.</summary>
        public int SetpointW;

        /// <summary>True when "rampWps" is present.</summary>
        public bool HasRampWps;

        /// <summary>"rampWps": how fast to move to the setpoint, 1..200000 W/s.</summary>
        public int RampWps;

        /// <summary>True when "buyPrice" is present.</summary>
        public bool HasBuyPrice;

        /// <summary>"buyPrice": what the driver pays per kWh charged under this dispatch, milli-currency.</summary>
        public long BuyPriceMilli;

        /// <summary>True when "sellPrice" is present.</summary>
        public bool HasSellPrice;

        /// <summary>"sellPrice": what the driver earns per kWh discharged under this dispatch, milli-currency.</summary>
        public long SellPriceMilli;

        /// <summary>"currency": ISO 4217 code of the prices (required when a price is present), or null.</summary>
        public string? Currency;

        /// <summary>"chargerId": the charger addressed, or null when the topic alone addresses it.</summary>
        public string? ChargerId;

        /// <inheritdoc/>
        public override int Kind
        {
            get { return MessageKind.Dispatch; }
        }

        internal override FieldTable Fields
        {
            get { return Table; }
        }

        internal override int IdField
        {
            get { return FieldId; }
        }

        /// <inheritdoc/>
        public override void Clear()
        {
            Id = null;
            Seq = 0;
            IssuedAtMs = 0;
            HasStartAt = false;
            StartAtMs = 0;
            DurationS = 0;
            SetpointW = 0;
            HasRampWps = false;
            RampWps = 0;
            HasBuyPrice = false;
            BuyPriceMilli = 0;
            HasSellPrice = false;
            SellPriceMilli = 0;
            Currency = null;
            ChargerId = null;
        }

        internal override void WriteFields(JsonWriter writer)
        {
            writer.WriteString(Table.Keys[FieldId], Id);
            writer.WriteInteger(Table.Keys[FieldSeq], Seq);
            writer.WriteTime(Table.Keys[FieldIssuedAt], IssuedAtMs);
            if (HasStartAt)
            {
                writer.WriteTime(Table.Keys[FieldStartAt], StartAtMs);
            }

            writer.WriteInteger(Table.Keys[FieldDuration], DurationS);
            writer.WriteInteger(Table.Keys[FieldSetpoint], SetpointW);
            if (HasRampWps)
            {
                writer.WriteInteger(Table.Keys[FieldRamp], RampWps);
            }

            if (HasBuyPrice)
            {
                writer.WriteMilli(Table.Keys[FieldBuyPrice], BuyPriceMilli);
            }

            if (HasSellPrice)
            {
                writer.WriteMilli(Table.Keys[FieldSellPrice], SellPriceMilli);
            }

            if (Currency != null)
            {
                writer.WriteString(Table.Keys[FieldCurrency], Currency);
            }

            if (ChargerId != null)
            {
                writer.WriteString(Table.Keys[FieldChargerId], ChargerId);
            }
        }

        // An optional field given as null counts as absent.
        internal override string? ReadField(JsonReader reader, int field)
        {
            switch (field)
            {
                case FieldId:
                    return Refuse(FieldRead.Token(reader, out Id), field);
                case FieldSeq:
                    return Refuse(reader.TryGetInteger(1, Limits.MaxSeq, out Seq), field);
                case FieldIssuedAt:
                    return Refuse(reader.TryGetTime(out IssuedAtMs), field);
                case FieldStartAt:
                    return Refuse(FieldRead.IsNull(reader) || (HasStartAt = reader.TryGetTime(out StartAtMs)), field);
                case FieldDuration:
                    return Refuse(reader.TryGetInteger(1, Limits.MaxDurationS, out DurationS), field);
                case FieldSetpoint:
                    return Refuse(FieldRead.Power(reader, out SetpointW), field);
                case FieldRamp:
                    return Refuse(FieldRead.IsNull(reader) || (HasRampWps = reader.TryGetInteger(1, Limits.MaxRampWps, out RampWps)), field);
                case FieldBuyPrice:
                    return Refuse(FieldRead.IsNull(reader) || (HasBuyPrice = FieldRead.Price(reader, out BuyPriceMilli)), field);
                case FieldSellPrice:
                    return Refuse(FieldRead.IsNull(reader) || (HasSellPrice = FieldRead.Price(reader, out SellPriceMilli)), field);
                case FieldCurrency:
                    return Refuse(FieldRead.IsNull(reader) || FieldRead.Currency(reader, out Currency), field);
                default:
                    return Refuse(FieldRead.NullableToken(reader, out ChargerId), field);
            }
        }

        internal override string? Check(long seen)
        {
            return (HasBuyPrice || HasSellPrice) && Currency == null ? Table.Missing[FieldCurrency] : null;
        }

        internal override bool IsForOtherCharger(string chargerId)
        {
            return ChargerId != null && ChargerId != chargerId;
        }

        internal override void SalvageId(string? id)
        {
            Id = id;
        }
    }
}
