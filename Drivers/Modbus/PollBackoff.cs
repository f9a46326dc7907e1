namespace ChargerFirmware.Drivers.Modbus
{
    /// <summary>
    /// When a driver may next address a device that stopped answering. Each failure doubles the
    /// wait, from the device's poll period up to <see cref="ModbusTiming.BackoffMaxMs"/>; an answer
    /// resets it. A dead device on a shared bus is then probed rarely and leaves the line to the
    /// others. No allocation.
    /// </summary>
    public sealed class PollBackoff
    {
        private long _waitMs;

        /// <summary>Failures in a row since the last answer.</summary>
        public int Failures { get; private set; }

        /// <summary>The wait after the last failure, ms (0 after an answer).</summary>
        public long WaitMs
        {
            get { return _waitMs; }
        }

        /// <summary>The device answered: no more backoff.</summary>
        public void Answered()
        {
            Failures = 0;
            _waitMs = 0;
        }

        /// <summary>
        /// The device failed once more; returns how long to wait before addressing it again: the
        /// poll period <paramref name="periodMs"/> at first, then twice the last wait, at most
        /// <paramref name="maxMs"/> (and never less than the period).
        /// </summary>
        public long Failed(int periodMs, int maxMs)
        {
            Failures++;
            long next = _waitMs == 0 ? periodMs : _waitMs * 2;
            if (next > maxMs)
            {
                next = maxMs;
            }

            _waitMs = next < periodMs ? periodMs : next;
            return _waitMs;
        }
    }
}
