using ChargerFirmware.Protocol.Json;

namespace ChargerFirmware.Protocol.Messages
{
    /// <summary>dispatch/cancel (aggregator to charger): stop the dispatch <see cref="Id"/>, acked "cancelled".</summary>
    public sealed class DispatchCancelMessage : Message
    {
        private const int FieldId = 1;

        private static readonly FieldTable Table = new FieldTable("", new string[] { "v", "id" }, (1L << 0) | (1L << FieldId));

        /// <summary>"id": the dispatch to cancel (1..64 visible ASCII).</summary>
        public string? Id;

        /// <inheritdoc/>
        public override int Kind
        {
            get { return MessageKind.DispatchCancel; }
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
        }

        internal override void WriteFields(JsonWriter writer)
        {
            writer.WriteString(Table.Keys[FieldId], Id);
        }

        internal override string? ReadField(JsonReader reader, int field)
        {
            return Refuse(FieldRead.Token(reader, out Id), field);
        }

        internal override void SalvageId(string? id)
        {
            Id = id;
        }
    }
}
