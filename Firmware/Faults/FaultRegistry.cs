namespace ChargerFirmware.Faults
{
    /// <summary>
    /// Which faults are active, fed once per tick with whether each cause is present. A cause raises
    /// its fault at once; a self-clearing fault clears when its cause has been gone for the retry
    /// delay; a latched fault stays until <see cref="ClearLatched"/>. Raised and cleared faults are
    /// collected as masks for the tick so the loop can publish events. No allocation.
    /// </summary>
    public sealed class FaultRegistry
    {
        private readonly long[] _goneSinceMs = new long[FaultCode.Count];
        private int _active;
        private int _raisedThisTick;
        private int _clearedThisTick;

        /// <summary>Bit mask of active faults (bit = <see cref="FaultCode"/>).</summary>
        public int Active
        {
            get { return _active; }
        }

        /// <summary>True when an active fault forbids power (warnings do not).</summary>
        public bool BlocksPower
        {
            get { return (_active & ~FaultCode.WarningMask) != 0; }
        }

        /// <summary>Faults raised since <see cref="BeginTick"/>.</summary>
        public int RaisedThisTick
        {
            get { return _raisedThisTick; }
        }

        /// <summary>Faults cleared since <see cref="BeginTick"/>.</summary>
        public int ClearedThisTick
        {
            get { return _clearedThisTick; }
        }

        /// <summary>Starts a tick: forgets the previous tick's raised and cleared masks.</summary>
        public void BeginTick()
        {
            _raisedThisTick = 0;
            _clearedThisTick = 0;
        }

        /// <summary>True when <paramref name="code"/> is active.</summary>
        public bool IsActive(int code)
        {
            return (_active & (1 << code)) != 0;
        }

        /// <summary>
        /// Reports whether the cause of <paramref name="code"/> is present now. Self-clearing faults
        /// clear after the cause has been gone for <paramref name="retryMs"/>.
        /// </summary>
        public void Report(int code, bool present, long nowMs, int retryMs)
        {
            int bit = 1 << code;
            if (present)
            {
                _goneSinceMs[code] = -1;
                if ((_active & bit) == 0)
                {
                    _active |= bit;
                    _raisedThisTick |= bit;
                }

                return;
            }

            if ((_active & bit) == 0 || FaultCode.IsLatched(code))
            {
                return;
            }

            if (_goneSinceMs[code] < 0)
            {
                _goneSinceMs[code] = nowMs;
            }

            if (nowMs - _goneSinceMs[code] >= retryMs)
            {
                _active &= ~bit;
                _clearedThisTick |= bit;
            }
        }

        /// <summary>Raises <paramref name="code"/> as an event (self-test failures, stalls); it then clears by its policy.</summary>
        public void Raise(int code)
        {
            Report(code, true, 0, 0);
        }

        /// <summary>A technician clears every latched fault (a fault whose cause persists comes back at the next report).</summary>
        public void ClearLatched()
        {
            int cleared = _active & FaultCode.LatchedMask;
            _active &= ~FaultCode.LatchedMask;
            _clearedThisTick |= cleared;
        }
    }
}
