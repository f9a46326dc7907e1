using System;

namespace ChargerFirmware.Drivers.Pilot
{
    /// <summary>
    /// Accepts a newly classified pilot state only after it stayed the same for a while (OpenEVSE:
    /// 250 ms, 25 ms for a move to A so an unplug is seen at once). A new state needs at least two
    /// consecutive samples, so a single-sample spike never changes the accepted state, whatever the
    /// tick spacing. No allocation.
    /// </summary>
    public sealed class PilotDebouncer
    {
        /// <summary>Default time a new state must be stable, in ms.</summary>
        public const int DefaultStableMs = 250;

        /// <summary>Default time a move to A must be stable, in ms.</summary>
        public const int DefaultStableToAMs = 25;

        private readonly int _stableMs;
        private readonly int _stableToAMs;
        private int _accepted;
        private int _candidate;
        private long _candidateSinceMs;

        /// <summary>A debouncer with <see cref="DefaultStableMs"/> and <see cref="DefaultStableToAMs"/>, starting <see cref="PilotState.Invalid"/>.</summary>
        public PilotDebouncer()
            : this(DefaultStableMs, DefaultStableToAMs)
        {
        }

        /// <summary>A debouncer with the given stable times in ms (not negative), starting <see cref="PilotState.Invalid"/>.</summary>
        public PilotDebouncer(int stableMs, int stableToAMs)
        {
            if (stableMs < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(stableMs));
            }

            if (stableToAMs < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(stableToAMs));
            }

            _stableMs = stableMs;
            _stableToAMs = stableToAMs;
            Reset(PilotState.Invalid);
        }

        /// <summary>The accepted (debounced) state.</summary>
        public int Accepted
        {
            get { return _accepted; }
        }

        /// <summary>Forgets any pending change and accepts <paramref name="state"/> as is.</summary>
        public void Reset(int state)
        {
            _accepted = state;
            _candidate = state;
        }

        /// <summary>
        /// Feeds one classified sample taken at monotonic <paramref name="nowMs"/>; returns the accepted
        /// state. A different state is accepted once it was seen in every sample for the stable time
        /// since its first sample.
        /// </summary>
        public int Update(int rawState, long nowMs)
        {
            if (rawState != _candidate)
            {
                _candidate = rawState;
                _candidateSinceMs = nowMs;
                return _accepted;
            }

            if (rawState != _accepted)
            {
                int stableMs = rawState == PilotState.A ? _stableToAMs : _stableMs;
                if (nowMs - _candidateSinceMs >= stableMs)
                {
                    _accepted = rawState;
                }
            }

            return _accepted;
        }
    }
}
