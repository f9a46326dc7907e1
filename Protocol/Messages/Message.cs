using ChargerFirmware.Protocol.Json;

namespace ChargerFirmware.Protocol.Messages
{
    /// <summary>
    /// A JSON message of the aggregator contract: plain public fields in integer units (W, Wh, Unix ms,
    /// milli-currency), optional numbers flagged by a Has* field, optional strings null when absent.
    /// Instances are meant to be kept and reused: <see cref="MessageCodec.TryDecode"/> clears and
    /// refills one, <see cref="Encode"/> reads one without allocating.
    /// </summary>
    public abstract class Message : IFieldReader
    {
        /// <summary>The schema version every payload carries as "v".</summary>
        public const int Version = 1;

        /// <summary>The "v" of the last decoded payload (-1 when not an integer).</summary>
        internal long DecodedVersion;

        /// <summary>The <see cref="MessageKind"/> constant of this message (which topic it travels on).</summary>
        public abstract int Kind { get; }

        FieldTable IFieldReader.Fields
        {
            get { return Fields; }
        }

        /// <summary>The field names; entry 0 is always "v".</summary>
        internal abstract FieldTable Fields { get; }

        /// <summary>Index of the field holding the message id that an ack must echo, or -1.</summary>
        internal virtual int IdField
        {
            get { return -1; }
        }

        /// <summary>Writes the whole message as one JSON object, "v" first.</summary>
        public void Encode(JsonWriter writer)
        {
            writer.BeginObject();
            writer.WriteInteger(Fields.Keys[0], Version);
            WriteFields(writer);
            writer.EndObject();
        }

        /// <summary>Resets every field to absent / zero / null.</summary>
        public abstract void Clear();

        string? IFieldReader.ReadField(JsonReader reader, int field)
        {
            if (field == 0)
            {
                DecodedVersion = reader.TryGetInteger(long.MinValue, long.MaxValue, out long version) ? version : -1;
                return null;
            }

            return ReadField(reader, field);
        }

        /// <summary>Writes every field but "v".</summary>
        internal abstract void WriteFields(JsonWriter writer);

        /// <summary>Reads field <paramref name="field"/> (never 0) from the current value token; null when accepted, else the reason.</summary>
        internal abstract string? ReadField(JsonReader reader, int field);

        /// <summary>Rules across fields, checked once every field was accepted; null when they hold.</summary>
        internal virtual string? Check(long seen)
        {
            return null;
        }

        /// <summary>True when the message is addressed to a charger other than <paramref name="chargerId"/>.</summary>
        internal virtual bool IsForOtherCharger(string chargerId)
        {
            return false;
        }

        /// <summary>Keeps the id found by the lenient scan of a rejected payload (null when none).</summary>
        internal virtual void SalvageId(string? id)
        {
        }

        /// <summary>The reason refusing field <paramref name="field"/> unless <paramref name="accepted"/>.</summary>
        internal string? Refuse(bool accepted, int field)
        {
            return accepted ? null : Fields.OutOfRange[field];
        }
    }
}
