namespace ChargerFirmware.Ledger
{
    /// <summary>Explicit value-to-name tables (never Enum.ToString, which prints numbers on the device).</summary>
    internal static class NameTable
    {
        /// <summary>The name of <paramref name="value"/>, "unknown" outside the table.</summary>
        internal static string Name(string[] names, int value)
        {
            return value >= 0 && value < names.Length ? names[value] : "unknown";
        }

        /// <summary>The value called <paramref name="name"/>, -1 when none is.</summary>
        internal static int Parse(string[] names, string name)
        {
            for (int value = 0; value < names.Length; value++)
            {
                if (name == names[value])
                {
                    return value;
                }
            }

            return -1;
        }
    }
}
