namespace ChargerFirmware.Persistence
{
    /// <summary>
    /// What loading a settings file (presets, configuration) found, with explicit names. On anything
    /// but <see cref="Valid"/> or <see cref="Missing"/> the safe defaults are in force and a fault is reported.
    /// </summary>
    public static class SettingsLoadResults
    {
        /// <summary>Not loaded yet: defaults.</summary>
        public const int NotLoaded = 0;

        /// <summary>The file was valid and is in force.</summary>
        public const int Valid = 1;

        /// <summary>No file (first start): defaults, no fault.</summary>
        public const int Missing = 2;

        /// <summary>Truncated, foreign or failing its CRC: defaults and a fault.</summary>
        public const int Corrupt = 3;

        /// <summary>Written by another format version: defaults and a fault.</summary>
        public const int WrongVersion = 4;

        /// <summary>Intact but holding malformed or out-of-range values: defaults and a fault.</summary>
        public const int Invalid = 5;

        /// <summary>The storage threw while reading: defaults and a fault.</summary>
        public const int ReadFailed = 6;

        /// <summary>Not a load result: the settings in force were stored since start (a technician's change).</summary>
        public const int Stored = 7;

        /// <summary>The name of <paramref name="result"/> for status and logs.</summary>
        public static string Name(int result)
        {
            switch (result)
            {
                case NotLoaded:
                    return "not-loaded";
                case Valid:
                    return "valid";
                case Missing:
                    return "missing";
                case Corrupt:
                    return "corrupt";
                case WrongVersion:
                    return "wrong-version";
                case Invalid:
                    return "invalid";
                case ReadFailed:
                    return "read-failed";
                case Stored:
                    return "stored";
                default:
                    return "unknown";
            }
        }
    }
}
