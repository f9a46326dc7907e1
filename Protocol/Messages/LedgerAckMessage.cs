using ChargerFirmware.Protocol.Json;

namespace ChargerFirmware.Protocol.Messages
{
    /// <summary>ledger/ack (aggregator to charger): every ledger entry with an id up to <see cref="UpTo"/> is stored; the charger may drop them.</summary>
    public sealed class LedgerAckMessage : Message
    {
        private const int FieldUpTo = 1;

        private static readonly FieldTable Table = new FieldTable("", new string[] { "v", "upTo" }, (1L << 0) | (1L << FieldUpTo));

        /// <summary>"upTo": highest ledger id stored, 0..2^53-1.</summary>
        public long UpTo;

        /// <inheritdoc/>
        public override int Kind
        {
            get { return MessageKind.LedgerAck; }
        }

        internal override FieldTable Fields
        {
            get { return Table; }
        }

        /// <inheritdoc/>
        public override void Clear()
        {
            UpTo = 0;
        }

        internal override void WriteFields(JsonWriter writer)
        {
            writer.WriteInteger(Table.Keys[FieldUpTo], UpTo);
        }

        internal override string? ReadField(JsonReader reader, int field)
        {
            return Refuse(FieldRead.Counter(reader, out UpTo), field);
        }
    }
}
