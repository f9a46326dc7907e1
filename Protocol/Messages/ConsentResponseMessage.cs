using ChargerFirmware.Protocol.Json;

namespace ChargerFirmware.Protocol.Messages
{
    /// <summary>
    /// consent/response (driver's phone, through the relay, to charger): the answer to the consent
    /// request with the same <see cref="SessionId"/> and <see cref="Nonce"/>, with optional conditions
    /// (a preset name, or explicit values; not both), how the earnings are settled and whether the
    /// charger should remember the conditions for this car: everything the charger's panel can set.
    /// </summary>
    public sealed class ConsentResponseMessage : Message
    {
        private const int FieldSessionId = 1;
        private const int FieldNonce = 2;
        private const int FieldAllow = 3;
        private const int FieldConditions = 4;
        private const int FieldSettlement = 5;
        private const int FieldRemember = 6;

        private static readonly FieldTable Table = new FieldTable(
            "",
            new string[] { "v", "sessionId", "nonce", "allow", "conditions", "settlement", "remember" },
            (1L << 0) | (1L << FieldSessionId) | (1L << FieldNonce) | (1L << FieldAllow));

        /// <summary>"sessionId": the session asked about.</summary>
        public string? SessionId;

        /// <summary>"nonce": echo of the request's nonce.</summary>
        public string? Nonce;

        /// <summary>"allow": true lets the aggregator use the vehicle.</summary>
        public bool Allow;

        /// <summary>True when "conditions" is present.</summary>
        public bool HasConditions;

        /// <summary>"conditions": the driver's conditions (meaningful when <see cref="HasConditions"/>).</summary>
        public readonly Conditions Conditions = new Conditions();

        /// <summary>"settlement": how the earnings are settled (a <see cref="Messages.Settlement"/> constant); <see cref="Messages.Settlement.Unspecified"/> when absent.</summary>
        public int Settlement;

        /// <summary>True when "remember" is present.</summary>
        public bool HasRemember;

        /// <summary>"remember": true asks the charger to remember the conditions for this car (by its id); false to forget them.</summary>
        public bool Remember;

        /// <inheritdoc/>
        public override int Kind
        {
            get { return MessageKind.ConsentResponse; }
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
            Allow = false;
            HasConditions = false;
            Conditions.Clear();
            Settlement = Messages.Settlement.Unspecified;
            HasRemember = false;
            Remember = false;
        }

        internal override void WriteFields(JsonWriter writer)
        {
            writer.WriteString(Table.Keys[FieldSessionId], SessionId);
            writer.WriteString(Table.Keys[FieldNonce], Nonce);
            writer.WriteBool(Table.Keys[FieldAllow], Allow);
            if (HasConditions)
            {
                writer.Name(Table.Keys[FieldConditions]);
                Conditions.Write(writer);
            }

            if (Messages.Settlement.IsValid(Settlement))
            {
                writer.WriteString(Table.Keys[FieldSettlement], Messages.Settlement.Names.Name(Settlement));
            }

            if (HasRemember)
            {
                writer.WriteBool(Table.Keys[FieldRemember], Remember);
            }
        }

        internal override string? ReadField(JsonReader reader, int field)
        {
            switch (field)
            {
                case FieldSessionId:
                    return Refuse(FieldRead.Token(reader, out SessionId), field);
                case FieldNonce:
                    return Refuse(FieldRead.Token(reader, out Nonce), field);
                case FieldAllow:
                    return Refuse(reader.TryGetBool(out Allow), field);
                case FieldSettlement:
                    return Refuse(FieldRead.IsNull(reader) || FieldRead.Name(reader, Messages.Settlement.Names, out Settlement), field);
                case FieldRemember:
                    return Refuse(FieldRead.IsNull(reader) || (HasRemember = reader.TryGetBool(out Remember)), field);
                default:
                    if (reader.Token != JsonToken.StartObject)
                    {
                        return Refuse(FieldRead.IsNull(reader), field);
                    }

                    string? reason = Conditions.Read(reader, true);
                    HasConditions = reason == null;
                    return reason;
            }
        }
    }
}
