using ChargerFirmware.Protocol.Json;

namespace ChargerFirmware.Protocol.Messages
{
    /// <summary>
    /// dispatch/ack (charger to aggregator, QoS 1): what became of dispatch <see cref="Id"/>. A payload
    /// too broken to carry an id is answered with a null id, status rejected and reason "malformed"
    /// (use <see cref="SetRejected"/>, which applies that rule).
    /// </summary>
    public sealed class DispatchAckMessage : Message
    {
        private const int FieldId = 1;
        private const int FieldStatus = 2;
        private const int FieldReason = 3;
        private const int FieldAppliedW = 4;
        private const int FieldAt = 5;

        private static readonly FieldTable Table = new FieldTable(
            "",
            new string[] { "v", "id", "status", "reason", "appliedW", "at" },
            (1L << 0) | (1L << FieldId) | (1L << FieldStatus) | (1L << FieldReason) | (1L << FieldAppliedW) | (1L << FieldAt));

        /// <summary>"id": the dispatch acknowledged, or null when the payload carried none.</summary>
        public string? Id;

        /// <summary>"status": a <see cref="DispatchStatus"/> constant.</summary>
        public int Status;

        /// <summary>"reason": why (a decode reason, the arbiter's reason code), or null.</summary>
        public string? Reason;

        /// <summary>"appliedW": the setpoint actually applied after this step, W (may be limited below the request).</summary>
        public int AppliedW;

        /// <summary>"at": when, Unix ms.</summary>
        public long AtMs;

        /// <inheritdoc/>
        public override int Kind
        {
            get { return MessageKind.DispatchAck; }
        }

        internal override FieldTable Fields
        {
            get { return Table; }
        }

        /// <inheritdoc/>
        public override void Clear()
        {
            Id = null;
            Status = 0;
            Reason = null;
            AppliedW = 0;
            AtMs = 0;
        }

        /// <summary>
        /// Fills a rejection of the payload whose id (if any) <see cref="MessageCodec.TryDecode"/> salvaged:
        /// with no id the reason is "malformed", as the contract requires, else <paramref name="reason"/>.
        /// </summary>
        public void SetRejected(string? id, string reason, int appliedW, long atMs)
        {
            Id = id;
            Status = DispatchStatus.Rejected;
            Reason = id == null ? DecodeReason.Malformed : reason;
            AppliedW = appliedW;
            AtMs = atMs;
        }

        internal override void WriteFields(JsonWriter writer)
        {
            writer.WriteString(Table.Keys[FieldId], Id);
            writer.WriteString(Table.Keys[FieldStatus], DispatchStatus.Names.Name(Status));
            writer.WriteString(Table.Keys[FieldReason], Reason);
            writer.WriteInteger(Table.Keys[FieldAppliedW], AppliedW);
            writer.WriteTime(Table.Keys[FieldAt], AtMs);
        }

        internal override string? ReadField(JsonReader reader, int field)
        {
            switch (field)
            {
                case FieldId:
                    return Refuse(FieldRead.NullableToken(reader, out Id), field);
                case FieldStatus:
                    return Refuse(FieldRead.Name(reader, DispatchStatus.Names, out Status), field);
                case FieldReason:
                    return Refuse(FieldRead.NullableToken(reader, out Reason), field);
                case FieldAppliedW:
                    return Refuse(FieldRead.Power(reader, out AppliedW), field);
                default:
                    return Refuse(reader.TryGetTime(out AtMs), field);
            }
        }

        // Without an id only "rejected, malformed" makes sense; a rejection or an interruption always says why.
        internal override string? Check(long seen)
        {
            bool idRuleHolds = Id != null || (Status == DispatchStatus.Rejected && Reason == DecodeReason.Malformed);
            bool reasonRuleHolds = (Status != DispatchStatus.Rejected && Status != DispatchStatus.Interrupted) || Reason != null;
            return idRuleHolds && reasonRuleHolds ? null : Table.OutOfRange[idRuleHolds ? FieldReason : FieldId];
        }
    }
}
