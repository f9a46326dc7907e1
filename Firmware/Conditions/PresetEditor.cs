namespace ChargerFirmware.Conditions
{
    /// <summary>
    /// Applies one technician's edit to the custom presets of a <see cref="PresetStore"/>, on the
    /// control loop (the store's owner). A set edit on an unknown name creates that custom preset from
    /// "balanced" first; built-ins are never changed. The caller saves the store afterwards.
    /// </summary>
    public static class PresetEditor
    {
        /// <summary>Packs a window for <see cref="PresetEdits.AddWindow"/>: day mask, start and end minute.</summary>
        public static long PackWindow(int dayMask, int startMinute, int endMinute)
        {
            return ((long)dayMask << 32) | ((long)startMinute << 16) | (long)endMinute;
        }

        /// <summary>
        /// Applies edit <paramref name="edit"/> (a <see cref="PresetEdits"/> constant) with <paramref name="value"/>
        /// to the preset called <paramref name="name"/>, working in <paramref name="scratch"/>; returns a
        /// <see cref="PresetEditResults"/> constant. Nothing changes unless the result is Ok.
        /// </summary>
        public static int Apply(PresetStore store, int edit, string name, long value, ChargingConditions scratch)
        {
            int index = store.IndexOf(name);
            if (edit == PresetEdits.MakeDefault)
            {
                return store.SetDefault(index) ? PresetEditResults.Ok : PresetEditResults.UnknownPreset;
            }

            if (index >= 0 && index < PresetStore.BuiltInCount)
            {
                return PresetEditResults.BuiltIn;
            }

            if (edit == PresetEdits.Delete)
            {
                return store.Remove(name) ? PresetEditResults.Ok : PresetEditResults.UnknownPreset;
            }

            if (!ChargingConditions.IsValidName(name))
            {
                return PresetEditResults.Invalid;
            }

            scratch.CopyFrom(store.Get(index >= 0 ? index : PresetStore.Balanced));
            scratch.Name = name;
            if (!Change(scratch, edit, value) || scratch.Validate() != ConditionErrors.None)
            {
                return PresetEditResults.Invalid;
            }

            if (store.AddOrReplace(scratch) < 0)
            {
                return PresetEditResults.Full;
            }

            return PresetEditResults.Ok;
        }

        private static bool Change(ChargingConditions c, int edit, long value)
        {
            switch (edit)
            {
                case PresetEdits.MinSell:
                    c.MinSellPriceMilli = (int)value;
                    return value >= 0 && value <= ChargingConditions.MaxPriceMilli;
                case PresetEdits.MaxBuy:
                    c.MaxBuyPriceMilli = (int)value;
                    return value >= 0 && value <= ChargingConditions.MaxPriceMilli;
                case PresetEdits.KeepSoc:
                    c.KeptSocPermille = (int)value;
                    return value >= 0 && value <= ChargingConditions.MaxKeptSocPermille;
                case PresetEdits.Delegated:
                    c.Delegated = value != 0;
                    return value == 0 || value == 1;
                case PresetEdits.Settlement:
                    c.Settlement = (int)value;
                    return value >= int.MinValue && value <= int.MaxValue;
                case PresetEdits.AddWindow:
                    return c.Windows.Add((int)(value >> 32), (int)((value >> 16) & 0xFFFF), (int)(value & 0xFFFF));
                case PresetEdits.ClearWindows:
                    c.Windows.Clear();
                    return true;
                default:
                    return false;
            }
        }
    }

    /// <summary>The edits <see cref="PresetEditor"/> applies, with their console names.</summary>
    public static class PresetEdits
    {
        /// <summary>Lowest selling price, milli-currency per kWh.</summary>
        public const int MinSell = 1;

        /// <summary>Highest buying price, milli-currency per kWh.</summary>
        public const int MaxBuy = 2;

        /// <summary>State of charge always kept, per-mille.</summary>
        public const int KeepSoc = 3;

        /// <summary>Leave the prices to the aggregator: 1 on, 0 off.</summary>
        public const int Delegated = 4;

        /// <summary>What happens to the earnings (a settlement constant).</summary>
        public const int Settlement = 5;

        /// <summary>Adds a weekly window (<see cref="PresetEditor.PackWindow"/>).</summary>
        public const int AddWindow = 6;

        /// <summary>Removes every window (the aggregator may act at any time).</summary>
        public const int ClearWindows = 7;

        /// <summary>Deletes the custom preset.</summary>
        public const int Delete = 8;

        /// <summary>Makes the preset (built-in or custom) the one offered first.</summary>
        public const int MakeDefault = 9;

        /// <summary>The console name of <paramref name="edit"/>.</summary>
        public static string Name(int edit)
        {
            switch (edit)
            {
                case MinSell:
                    return "min-sell";
                case MaxBuy:
                    return "max-buy";
                case KeepSoc:
                    return "keep-soc";
                case Delegated:
                    return "delegated";
                case Settlement:
                    return "settlement";
                case AddWindow:
                    return "window-add";
                case ClearWindows:
                    return "window-clear";
                case Delete:
                    return "delete";
                case MakeDefault:
                    return "default";
                default:
                    return "unknown";
            }
        }
    }

    /// <summary>Outcomes of <see cref="PresetEditor.Apply"/>.</summary>
    public static class PresetEditResults
    {
        /// <summary>Applied.</summary>
        public const int Ok = 0;

        /// <summary>Built-in presets cannot be changed or deleted.</summary>
        public const int BuiltIn = 1;

        /// <summary>No preset of that name.</summary>
        public const int UnknownPreset = 2;

        /// <summary>No room for another custom preset.</summary>
        public const int Full = 3;

        /// <summary>The name or value is out of range.</summary>
        public const int Invalid = 4;

        /// <summary>Applied, but the preset file could not be written.</summary>
        public const int NotSaved = 5;

        /// <summary>The result's name.</summary>
        public static string Name(int result)
        {
            switch (result)
            {
                case Ok:
                    return "ok";
                case BuiltIn:
                    return "built-in";
                case UnknownPreset:
                    return "unknown-preset";
                case Full:
                    return "full";
                case Invalid:
                    return "invalid";
                case NotSaved:
                    return "not-saved";
                default:
                    return "unknown";
            }
        }
    }
}
