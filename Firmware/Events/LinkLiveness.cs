namespace ChargerFirmware.Events
{
    /// <summary>
    /// When the broker last proved it was alive: any packet it sent (CONNACK, SUBACK, PUBACK,
    /// PINGRESP, UNSUBACK, a message), on the charger's monotonic clock. The aggregator link writes
    /// it from whichever thread hears the broker; the control loop reads it every tick and ends an
    /// order that outlived the offline limit counted from this instant, whatever TCP says and
    /// whatever the charger itself sends, even if the link's own thread is stuck. Thread-safe
    /// (nanoFramework has no 64-bit Interlocked, so a lock).
    /// </summary>
    public sealed class LinkLiveness
    {
        /// <summary>The broker never answered since start.</summary>
        public const long Never = long.MinValue;

        private readonly object _gate = new object();
        private long _lastProofMs = Never;

        /// <summary>Monotonic ms of the last proof of life, or <see cref="Never"/>.</summary>
        public long LastProofMs
        {
            get
            {
                lock (_gate)
                {
                    return _lastProofMs;
                }
            }
        }

        /// <summary>The broker answered at <paramref name="monotonicMs"/> (a later proof never moves it back).</summary>
        public void Prove(long monotonicMs)
        {
            lock (_gate)
            {
                if (monotonicMs > _lastProofMs)
                {
                    _lastProofMs = monotonicMs;
                }
            }
        }
    }
}
