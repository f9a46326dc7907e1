using ChargerFirmware.Protocol.Json;

namespace ChargerFirmware.Protocol.Messages
{
    /// <summary>
    /// The driver's conditions ("conditions" object). In a consent response the driver names either a
    /// preset or explicit values, not both. On the status topic it is the summary in force: the preset
    /// name (if any) together with the values it resolved to, and whether now is inside an allowed
    /// window. Prices are per kWh in the currency of the consent request.
    /// </summary>
    public sealed class Conditions : IFieldReader
    {
        private const int FieldPreset = 0;
        private const int FieldMinSellPrice = 1;
        private const int FieldMaxBuyPrice = 2;
        private const int FieldKeptSocPct = 3;
        private const int FieldDelegated = 4;
        private const int FieldInWindow = 5;

        private static readonly FieldTable Table = new FieldTable(
            "conditions.",
            new string[] { "preset", "minSellPrice", "maxBuyPrice", "keptSocPct", "delegated", "inWindow" },
            0);

        /// <summary>"preset": name of a preset pattern (1..64 visible ASCII), or null.</summary>
        public string? Preset;

        /// <summary>True when "minSellPrice" is present.</summary>
        public bool HasMinSellPrice;

        /// <summary>"minSellPrice": lowest price per kWh at which the driver sells (discharge), milli-currency.</summary>
        public long MinSellPriceMilli;

        /// <summary>True when "maxBuyPrice" is present.</summary>
        public bool HasMaxBuyPrice;

        /// <summary>"maxBuyPrice": highest price per kWh at which the driver buys (charge), milli-currency.</summary>
        public long MaxBuyPriceMilli;

        /// <summary>True when "keptSocPct" is present.</summary>
        public bool HasKeptSocPct;

        /// <summary>"keptSocPct": state of charge (0..100 %) kept whatever the price: charged up to, never discharged below.</summary>
        public int KeptSocPct;

        /// <summary>True when "delegated" is present.</summary>
        public bool HasDelegated;

        /// <summary>"delegated": the driver leaves everything to the aggregator.</summary>
        public bool Delegated;

        /// <summary>True when "inWindow" is present (status summary only).</summary>
        public bool HasInWindow;

        /// <summary>"inWindow": now lies in a day/time window in which the aggregator may control.</summary>
        public bool InWindow;

        FieldTable IFieldReader.Fields
        {
            get { return Table; }
        }

        /// <summary>True when any explicit value (price, kept SOC, delegated) is present.</summary>
        public bool HasExplicitValues
        {
            get { return HasMinSellPrice || HasMaxBuyPrice || HasKeptSocPct || HasDelegated; }
        }

        /// <summary>Resets every field to absent.</summary>
        public void Clear()
        {
            Preset = null;
            HasMinSellPrice = false;
            MinSellPriceMilli = 0;
            HasMaxBuyPrice = false;
            MaxBuyPriceMilli = 0;
            HasKeptSocPct = false;
            KeptSocPct = 0;
            HasDelegated = false;
            Delegated = false;
            HasInWindow = false;
            InWindow = false;
        }

        /// <summary>Writes the object, with only the fields present.</summary>
        internal void Write(JsonWriter writer)
        {
            writer.BeginObject();
            if (Preset != null)
            {
                writer.WriteString(Table.Keys[FieldPreset], Preset);
            }

            if (HasMinSellPrice)
            {
                writer.WriteMilli(Table.Keys[FieldMinSellPrice], MinSellPriceMilli);
            }

            if (HasMaxBuyPrice)
            {
                writer.WriteMilli(Table.Keys[FieldMaxBuyPrice], MaxBuyPriceMilli);
            }

            if (HasKeptSocPct)
            {
                writer.WriteInteger(Table.Keys[FieldKeptSocPct], KeptSocPct);
            }

            if (HasDelegated)
            {
                writer.WriteBool(Table.Keys[FieldDelegated], Delegated);
            }

            if (HasInWindow)
            {
                writer.WriteBool(Table.Keys[FieldInWindow], InWindow);
            }

            writer.EndObject();
        }

        /// <summary>
        /// Reads the object at the current token. With <paramref name="driverChoice"/> (a consent
        /// response) a preset together with explicit values is refused as out-of-range:conditions.preset.
        /// </summary>
        internal string? Read(JsonReader reader, bool driverChoice)
        {
            string? reason = FieldWalker.ReadObject(reader, this, out _, out _);
            if (reason == null && driverChoice && Preset != null && HasExplicitValues)
            {
                reason = Table.OutOfRange[FieldPreset];
            }

            return reason;
        }

        // An optional field given as null counts as absent.
        string? IFieldReader.ReadField(JsonReader reader, int field)
        {
            bool accepted;
            switch (field)
            {
                case FieldPreset:
                    accepted = FieldRead.NullableToken(reader, out Preset);
                    break;
                case FieldMinSellPrice:
                    accepted = FieldRead.IsNull(reader) || (HasMinSellPrice = FieldRead.Price(reader, out MinSellPriceMilli));
                    break;
                case FieldMaxBuyPrice:
                    accepted = FieldRead.IsNull(reader) || (HasMaxBuyPrice = FieldRead.Price(reader, out MaxBuyPriceMilli));
                    break;
                case FieldKeptSocPct:
                    accepted = FieldRead.IsNull(reader) || (HasKeptSocPct = FieldRead.Percent(reader, out KeptSocPct));
                    break;
                case FieldDelegated:
                    accepted = FieldRead.IsNull(reader) || (HasDelegated = reader.TryGetBool(out Delegated));
                    break;
                default:
                    accepted = FieldRead.IsNull(reader) || (HasInWindow = reader.TryGetBool(out InWindow));
                    break;
            }

            return accepted ? null : Table.OutOfRange[field];
        }
    }
}
