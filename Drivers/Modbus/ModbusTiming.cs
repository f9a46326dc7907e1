namespace ChargerFirmware.Drivers.Modbus
{
    /// <summary>
    /// The timing of one RS-485 bus, shared by its <see cref="ModbusMaster"/> and the drivers on it,
    /// read afresh for every request (so a change applies from the next request on). The
    /// configuration fills it (settings modbus-timeout-ms, modbus-gap-ms, modbus-retries,
    /// modbus-backoff-max-ms); the defaults suit a converter and a module at 19200 baud.
    /// </summary>
    public sealed class ModbusTiming
    {
        /// <summary>Default <see cref="ResponseTimeoutMs"/>: a device answering within 300 ms works, and every device on the bus has given up waiting for an unanswered request's answer (libmodbus waits 500 ms) before the next frame, see <see cref="ResponseTimeoutMs"/>.</summary>
        public const int DefaultResponseTimeoutMs = 300;

        /// <summary>Shortest <see cref="ResponseTimeoutMs"/>.</summary>
        public const int MinResponseTimeoutMs = 20;

        /// <summary>Longest <see cref="ResponseTimeoutMs"/>.</summary>
        public const int MaxResponseTimeoutMs = 2000;

        /// <summary>Default <see cref="InterFrameGapMs"/>.</summary>
        public const int DefaultInterFrameGapMs = 5;

        /// <summary>Longest <see cref="InterFrameGapMs"/>.</summary>
        public const int MaxInterFrameGapMs = 1000;

        /// <summary>Default <see cref="Retries"/>.</summary>
        public const int DefaultRetries = 1;

        /// <summary>Most <see cref="Retries"/>.</summary>
        public const int MaxRetries = 5;

        /// <summary>Default <see cref="BackoffMaxMs"/>.</summary>
        public const int DefaultBackoffMaxMs = 10000;

        /// <summary>Shortest <see cref="BackoffMaxMs"/>.</summary>
        public const int MinBackoffMaxMs = 1000;

        /// <summary>Longest <see cref="BackoffMaxMs"/>.</summary>
        public const int MaxBackoffMaxMs = 600000;

        /// <summary>
        /// How long the master waits for an answer beyond the time the request and the longest
        /// valid answer take on the wire, ms. After a request that got no (complete) answer the line
        /// stays silent this long once more: a late answer in that time is discarded, and every
        /// device on the bus has stopped waiting for the answer before the next frame.
        /// </summary>
        public int ResponseTimeoutMs = DefaultResponseTimeoutMs;

        /// <summary>Silence kept on the line before every request, ms; never less than 3.5 characters.</summary>
        public int InterFrameGapMs = DefaultInterFrameGapMs;

        /// <summary>Repeats of a request after no answer or a corrupt one (not after an exception answer, nor for a probe of a lost device).</summary>
        public int Retries = DefaultRetries;

        /// <summary>Longest wait between probes of a device that stopped answering, ms (the wait doubles from the device's poll period).</summary>
        public int BackoffMaxMs = DefaultBackoffMaxMs;
    }
}
