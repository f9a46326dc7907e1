using ChargerFirmware.Protocol.Json;

namespace ChargerFirmware.Protocol.Messages
{
    /// <summary>
    /// The driver's conditions ("conditions" object). In a consent response the driver names either a
    /// preset or explicit values, not both. On the status topic it is the summary in force: the preset
    /// name (if any) together with the values it resolved to, and whether now is inside an allowed
    /// window. Prices are per kWh in the currency of the consent request. "windows" lists the weekly
    /// windows in which the aggregator may act (an empty list: any time), each a set of days and a
    /// local start and end ("22:00" to "06:00" crosses midnight).
    /// </summary>
    public sealed class Conditions : IFieldReader
    {
        private const int FieldPreset = 0;
        private const int FieldMinSellPrice = 1;
        private const int FieldMaxBuyPrice = 2;
        private const int FieldKeptSocPct = 3;
        private const int FieldDelegated = 4;
        private const int FieldInWindow = 5;
        private const int FieldWindows = 6;

        /// <summary>Most windows in one set of conditions.</summary>
        public const int MaxWindows = 8;

        /// <summary>Day names on the wire, indexed by day bit (0 Sunday .. 6 Saturday).</summary>
        public static readonly string?[] DayNames = { "sun", "mon", "tue", "wed", "thu", "fri", "sat" };

        private static readonly FieldTable Table = new FieldTable(
            "conditions.",
            new string[] { "preset", "minSellPrice", "maxBuyPrice", "keptSocPct", "delegated", "inWindow", "windows" },
            0);

        private readonly WindowReader _window;

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

        /// <summary>True when "windows" is present (an empty list means any time).</summary>
        public bool HasWindows;

        /// <summary>Windows in the lists below.</summary>
        public int WindowCount;

        /// <summary>Each window's days: bit 0 Sunday .. bit 6 Saturday.</summary>
        public readonly int[] WindowDays = new int[MaxWindows];

        /// <summary>Each window's local start, minute of the day 0..1439 ("from").</summary>
        public readonly int[] WindowFromMinute = new int[MaxWindows];

        /// <summary>Each window's local end, minute of the day 1..1440 ("to"; not after the start: the next day).</summary>
        public readonly int[] WindowToMinute = new int[MaxWindows];

        /// <summary>Empty conditions.</summary>
        public Conditions()
        {
            _window = new WindowReader(this);
        }

        FieldTable IFieldReader.Fields
        {
            get { return Table; }
        }

        /// <summary>True when any explicit value (price, kept SOC, delegated) is present.</summary>
        public bool HasExplicitValues
        {
            get { return HasMinSellPrice || HasMaxBuyPrice || HasKeptSocPct || HasDelegated || HasWindows; }
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
            HasWindows = false;
            WindowCount = 0;
            for (int w = 0; w < MaxWindows; w++)
            {
                WindowDays[w] = 0;
                WindowFromMinute[w] = 0;
                WindowToMinute[w] = 0;
            }
        }

        /// <summary>Adds a window (days bit 0 Sunday, minutes of the day); false when the list is full or the window invalid.</summary>
        public bool AddWindow(int days, int fromMinute, int toMinute)
        {
            if (WindowCount == MaxWindows || !IsValidWindow(days, fromMinute, toMinute))
            {
                return false;
            }

            WindowDays[WindowCount] = days;
            WindowFromMinute[WindowCount] = fromMinute;
            WindowToMinute[WindowCount] = toMinute;
            WindowCount++;
            HasWindows = true;
            return true;
        }

        /// <summary>True for a window of at least one day, a start 00:00..23:59, an end 00:01..24:00 and not equal to the start (00:00-24:00 is the whole day).</summary>
        public static bool IsValidWindow(int days, int fromMinute, int toMinute)
        {
            return days > 0 && days < 128 && fromMinute >= 0 && fromMinute < 1440 && toMinute > 0 && toMinute <= 1440 && fromMinute != toMinute;
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

            if (HasWindows)
            {
                WriteWindows(writer);
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

        // Days Monday first, as people read a week.
        private void WriteWindows(JsonWriter writer)
        {
            writer.Name(Table.Keys[FieldWindows]);
            writer.BeginArray();
            for (int w = 0; w < WindowCount; w++)
            {
                writer.BeginObject();
                writer.Name(WindowReader.WindowTable.Keys[WindowReader.FieldDays]);
                writer.BeginArray();
                for (int i = 1; i <= 7; i++)
                {
                    int day = i % 7;
                    if ((WindowDays[w] & (1 << day)) != 0)
                    {
                        writer.StringValue(DayNames[day]);
                    }
                }

                writer.EndArray();
                writer.Name(WindowReader.WindowTable.Keys[WindowReader.FieldFrom]);
                writer.ClockValue(WindowFromMinute[w]);
                writer.Name(WindowReader.WindowTable.Keys[WindowReader.FieldTo]);
                writer.ClockValue(WindowToMinute[w]);
                writer.EndObject();
            }

            writer.EndArray();
        }

        // [ {days, from, to}, ... ]: at most MaxWindows, each complete and valid; null counts as absent.
        private bool ReadWindows(JsonReader reader)
        {
            if (FieldRead.IsNull(reader))
            {
                return true;
            }

            if (reader.Token != JsonToken.StartArray)
            {
                return false;
            }

            HasWindows = true;
            WindowCount = 0;
            while (reader.Read() != JsonToken.EndArray)
            {
                if (reader.Token != JsonToken.StartObject || WindowCount == MaxWindows || !_window.Read(reader, WindowCount))
                {
                    return false;
                }

                WindowCount++;
            }

            return true;
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
                case FieldInWindow:
                    accepted = FieldRead.IsNull(reader) || (HasInWindow = reader.TryGetBool(out InWindow));
                    break;
                default:
                    accepted = ReadWindows(reader);
                    break;
            }

            return accepted ? null : Table.OutOfRange[field];
        }

        // One window object of "windows": every member required, the days unique.
        private sealed class WindowReader : IFieldReader
        {
            internal const int FieldDays = 0;
            internal const int FieldFrom = 1;
            internal const int FieldTo = 2;
            private const long AllFields = (1L << 3) - 1;

            internal static readonly FieldTable WindowTable = new FieldTable("conditions.windows.", new string[] { "days", "from", "to" }, AllFields);

            private readonly Conditions _owner;
            private int _index;

            public WindowReader(Conditions owner)
            {
                _owner = owner;
            }

            FieldTable IFieldReader.Fields
            {
                get { return WindowTable; }
            }

            public bool Read(JsonReader reader, int index)
            {
                _index = index;
                _owner.WindowDays[index] = 0;
                long seen;
                long good;
                string? refusal = FieldWalker.ReadObject(reader, this, out seen, out good);
                return refusal == null && good == AllFields
                    && IsValidWindow(_owner.WindowDays[index], _owner.WindowFromMinute[index], _owner.WindowToMinute[index]);
            }

            string? IFieldReader.ReadField(JsonReader reader, int field)
            {
                bool accepted;
                switch (field)
                {
                    case FieldDays:
                        accepted = ReadDays(reader);
                        break;
                    case FieldFrom:
                        accepted = reader.TryGetClock(1439, out _owner.WindowFromMinute[_index]);
                        break;
                    default:
                        accepted = reader.TryGetClock(1440, out _owner.WindowToMinute[_index]) && _owner.WindowToMinute[_index] > 0;
                        break;
                }

                return accepted ? null : WindowTable.OutOfRange[field];
            }

            private bool ReadDays(JsonReader reader)
            {
                if (reader.Token != JsonToken.StartArray)
                {
                    return false;
                }

                int days = 0;
                while (reader.Read() != JsonToken.EndArray)
                {
                    int day = reader.MatchString(DayNames);
                    if (day < 0 || (days & (1 << day)) != 0)
                    {
                        return false;
                    }

                    days |= 1 << day;
                }

                _owner.WindowDays[_index] = days;
                return days != 0;
            }
        }
    }
}
