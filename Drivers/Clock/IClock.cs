namespace ChargerFirmware.Drivers
{
    /// <summary>
    /// The firmware's only source of time. Injected everywhere so every timing rule is testable
    /// without sleeping. Monotonic time drives timers; wall time (UTC) only stamps records.
    /// </summary>
    public interface IClock
    {
        /// <summary>Milliseconds since an arbitrary start; never goes backwards.</summary>
        long MonotonicMs { get; }

        /// <summary>Wall time as milliseconds since 1970-01-01T00:00:00Z (nanoFramework time is UTC).</summary>
        long UtcMs { get; }

        /// <summary>True once wall time was set from a trusted source (SNTP, broker).</summary>
        bool UtcSynchronized { get; }
    }
}
