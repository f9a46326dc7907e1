using ChargerFirmware.Protocol.Json;

namespace ChargerFirmware.Protocol.Messages
{
    /// <summary>
    /// Walks the members of one JSON object: known fields go to the <see cref="IFieldReader"/>, unknown
    /// ones are skipped (forward compatibility), a known field given twice makes the payload malformed.
    /// After a field is refused the walk goes on, so later fields (the dispatch id above all) are still read.
    /// </summary>
    internal static class FieldWalker
    {
        /// <summary>
        /// Reads the object whose <see cref="JsonToken.StartObject"/> is the current token, up to and
        /// including its end. Returns <see cref="DecodeReason.Malformed"/> at the first structural
        /// problem, else the first field's refusal, else null. <paramref name="seen"/> gets the fields
        /// present, <paramref name="good"/> those accepted.
        /// </summary>
        public static string? ReadObject(JsonReader reader, IFieldReader target, out long seen, out long good)
        {
            seen = 0;
            good = 0;
            string? firstRefusal = null;
            int depth = reader.Depth;
            string[] names = target.Fields.Names;
            while (true)
            {
                int token = reader.Read();
                if (token == JsonToken.EndObject)
                {
                    return firstRefusal;
                }

                if (token != JsonToken.PropertyName)
                {
                    return DecodeReason.Malformed;
                }

                int field = reader.MatchString(names);
                if (reader.Read() == JsonToken.Error)
                {
                    return DecodeReason.Malformed;
                }

                if (field < 0)
                {
                    reader.SkipValue();
                    continue;
                }

                long bit = 1L << field;
                if ((seen & bit) != 0)
                {
                    good &= ~bit;
                    return DecodeReason.Malformed;
                }

                seen |= bit;
                string? refusal = target.ReadField(reader, field);
                if (refusal == DecodeReason.Malformed)
                {
                    return refusal;
                }

                if (refusal == null)
                {
                    good |= bit;
                }
                else if (firstRefusal == null)
                {
                    firstRefusal = refusal;
                }

                // A refused field may leave its object or array half read (and "v" never reads one).
                reader.SkipToDepth(depth);
                if (reader.Token == JsonToken.Error)
                {
                    return DecodeReason.Malformed;
                }
            }
        }
    }
}
