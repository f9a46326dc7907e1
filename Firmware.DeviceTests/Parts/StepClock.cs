using ChargerFirmware.Drivers;

namespace ChargerFirmware.DeviceTests.Parts
{
    /// <summary>Time that moves only when the scenario says, with a synchronised wall clock.</summary>
    public sealed class StepClock : IClock
    {
        /// <summary>Wall time at monotonic 0: 2027-01-15T09:00:00Z.</summary>
        public const long StartUtcMs = 1_800_000_000_000 + 3_600_000;

        private long _nowMs = 1000;

        /// <inheritdoc />
        public long MonotonicMs
        {
            get { return _nowMs; }
        }

        /// <inheritdoc />
        public long UtcMs
        {
            get { return StartUtcMs + _nowMs; }
        }

        /// <inheritdoc />
        public bool UtcSynchronized
        {
            get { return true; }
        }

        /// <summary>Moves time <paramref name="ms"/> on.</summary>
        public void Advance(int ms)
        {
            _nowMs += ms;
        }
    }
}
