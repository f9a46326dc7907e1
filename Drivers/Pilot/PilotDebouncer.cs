using System;

namespace ChargerFirmware.Drivers.Pilot
{
    /// <summary>
    /// Accepts a newly classified pilot state only after it stayed the same for a while (OpenEVSE:
    /// 250 ms). A move that removes power (to A, E, F or invalid, or from C/D back to B) needs only
    /// 25 ms, because IEC 61851-1 wants the power off within 100 ms of the vehicle leaving C; a move
    /// that grants power (to C or D, or a new vehicle in B) takes the long time. A new state needs at least two
    /// consecutive samples, so a single-sample spike never changes the accepted state, whatever the
    /// tick spacing. No allocation.
    /// </summary>
    public sealed class PilotDebouncer
    {
        /// <summary>Default time a new state must be stable, in ms.</summary>
        public const int DefaultStableMs = 250;

        /// <summary>Default time a move that removes power must be stable, in ms.</summary>
        public const int DefaultLeaveStableMs = 25;

        private readonly int _stableMs;
        private readonly int _leaveStableMs;
        private int _accepted;
        private int _candidate;
        private long _candidateSinceMs;
        private long _nonPowerSinceMs = -1;
        private long _lastSampleMs;

        /// <summary>A debouncer with <see cref="DefaultStableMs"/> and <see cref="DefaultLeaveStableMs"/>, starting <see cref="PilotState.Invalid"/>.</summary>
        public PilotDebouncer()
            : this(DefaultStableMs, DefaultLeaveStableMs)
        {
        }

        /// <summary>A debouncer with the given stable times in ms (not negative), starting <see cref="PilotState.Invalid"/>.</summary>
        public PilotDebouncer(int stableMs, int leaveStableMs)
        {
            if (stableMs < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(stableMs));
            }

            if (leaveStableMs < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(leaveStableMs));
            }

            _stableMs = stableMs;
            _leaveStableMs = leaveStableMs;
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
            // Noise between two non-power samples must not restart the clock of a leave: any
            // sample outside the power states counts towards it.
            _lastSampleMs = nowMs;
            if (GrantsPower(rawState))
            {
                _nonPowerSinceMs = -1;
            }
            else if (_nonPowerSinceMs < 0)
            {
                _nonPowerSinceMs = nowMs;
            }

            if (rawState != _candidate)
            {
                _candidate = rawState;
                _candidateSinceMs = nowMs;
                return _accepted;
            }

            if (rawState != _accepted)
            {
                int stableMs = RemovesPower(_accepted, rawState) ? _leaveStableMs : _stableMs;
                if (nowMs - _candidateSinceMs >= stableMs)
                {
                    _accepted = rawState;
                }
            }

            return _accepted;
        }

        /// <summary>
        /// True when state D (ventilation required) may draw power, i.e. the site has ventilation;
        /// otherwise D is a fault and a move to it removes power (default false).
        /// </summary>
        public bool DGrantsPower { get; set; }

        /// <summary>
        /// True while the vehicle asks for power: the accepted state is C (or D with ventilation)
        /// and the line has not been outside those states for the fast debounce time, whatever
        /// mix of other readings it showed meanwhile. Open the contactor when this turns false.
        /// </summary>
        public bool PowerRequested
        {
            get
            {
                return GrantsPower(_accepted) && (_nonPowerSinceMs < 0 || _lastSampleMs - _nonPowerSinceMs < _leaveStableMs);
            }
        }

        private bool GrantsPower(int state)
        {
            return state == PilotState.C || (state == PilotState.D && DGrantsPower);
        }

        /// <summary>True when a move from <paramref name="from"/> to <paramref name="to"/> takes power away rather than granting it.</summary>
        public bool RemovesPower(int from, int to)
        {
            if (GrantsPower(to))
            {
                return false;
            }

            return to != PilotState.B || from == PilotState.C || from == PilotState.D;
        }
    }
}
