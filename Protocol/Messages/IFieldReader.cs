using ChargerFirmware.Protocol.Json;

namespace ChargerFirmware.Protocol.Messages
{
    /// <summary>Something whose JSON object members <see cref="FieldWalker"/> can read one by one.</summary>
    internal interface IFieldReader
    {
        FieldTable Fields { get; }

        /// <summary>Reads field <paramref name="field"/> from the current value token; null when accepted, else the reason.</summary>
        string? ReadField(JsonReader reader, int field);
    }
}
