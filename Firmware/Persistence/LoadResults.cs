namespace ChargerFirmware.Persistence
{
    /// <summary>
    /// What loading a stored file found (and, for reports, whether its writes started failing or
    /// work again), with explicit names for the console, the log and the aggregator. Settings files (configuration, presets) fall back to safe defaults on anything but
    /// <see cref="Valid"/> or <see cref="Missing"/>; security state fails closed (see each store).
    /// </summary>
    public static class LoadResults
    {
        /// <summary>Not loaded yet.</summary>
        public const int NotLoaded = 0;

        /// <summary>The file was valid and is in force.</summary>
        public const int Valid = 1;

        /// <summary>No file (first start, or deleted).</summary>
        public const int Missing = 2;

        /// <summary>Truncated, foreign or failing its CRC.</summary>
        public const int Corrupt = 3;

        /// <summary>Written by another format version.</summary>
        public const int WrongVersion = 4;

        /// <summary>Intact but holding malformed or out-of-range values.</summary>
        public const int Invalid = 5;

        /// <summary>The storage threw while reading.</summary>
        public const int ReadFailed = 6;

        /// <summary>A damaged copy (of two) or a torn end (a power cut mid-write) was mended from what was intact; nothing in force was lost.</summary>
        public const int Repaired = 7;

        /// <summary>Every copy is damaged or gone where state must exist: the store fails closed.</summary>
        public const int Lost = 8;

        /// <summary>An index was damaged and rebuilt from the data it indexes (nothing lost).</summary>
        public const int Rebuilt = 9;

        /// <summary>Part of the content was damaged and skipped (the rest is in force).</summary>
        public const int Damaged = 10;

        /// <summary>The storage failed while the file was opened (unreadable or full): the store works without it and tries again.</summary>
        public const int Unavailable = 11;

        /// <summary>Reported when a file's writes start failing (the store degrades as it documents).</summary>
        public const int WriteFailed = 12;

        /// <summary>Reported when a file's writes work again after failing.</summary>
        public const int WriteRecovered = 13;

        /// <summary>Not a load result: the settings in force were stored since start (a technician's change).</summary>
        public const int Stored = 14;

        /// <summary>Number of results.</summary>
        public const int Count = 15;

        private static readonly string[] _names =
        {
            "not-loaded", "valid", "missing", "corrupt", "wrong-version", "invalid", "read-failed", "repaired", "lost",
            "rebuilt", "damaged", "unavailable", "write-failed", "write-recovered", "stored",
        };

        /// <summary>The name of <paramref name="result"/> for status and logs.</summary>
        public static string Name(int result)
        {
            return result >= 0 && result < Count ? _names[result] : "unknown";
        }

        /// <summary>True when <paramref name="result"/> means the file was found damaged or unreadable (a technician should know).</summary>
        public static bool IsDamage(int result)
        {
            return result >= Corrupt && result <= Damaged;
        }
    }
}
