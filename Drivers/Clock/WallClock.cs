namespace ChargerFirmware.Drivers
{
    /// <summary>
    /// Wall-time arithmetic for the device clock. An ESP32 boots at 1970 and only a time source (SNTP,
    /// the broker) moves it to the present, so a wall time before <see cref="PlausibleFloorUtcMs"/>
    /// means nothing has set the clock yet.
    /// </summary>
    public static class WallClock
    {
        /// <summary>2025-01-01T00:00:00Z in ms since the Unix epoch: no real clock reads earlier.</summary>
        public const long PlausibleFloorUtcMs = 1735689600000;

        /// <summary>DateTime ticks (100 ns since 0001-01-01) of the Unix epoch.</summary>
        public const long UnixEpochTicks = 621355968000000000;

        private const long TicksPerMillisecond = 10000;

        /// <summary>Milliseconds since the Unix epoch for DateTime <paramref name="ticks"/>.</summary>
        public static long UtcMsFromTicks(long ticks)
        {
            return (ticks - UnixEpochTicks) / TicksPerMillisecond;
        }

        /// <summary>True when <paramref name="utcMs"/> can only have come from a time source.</summary>
        public static bool IsPlausible(long utcMs)
        {
            return utcMs >= PlausibleFloorUtcMs;
        }
    }
}
