namespace ChargerFirmware.Drivers.Contactor
{
    /// <summary>
    /// The contactor's weld check on request, as a non-blocking sequence, one <see cref="Step"/> per
    /// control tick: while the contactor is commanded open, its auxiliary feedback must read open at
    /// every tick for <see cref="DurationMs"/> (default 1000 ms). It never drives the contactor (it has
    /// no access to it): a test cannot close anything. The test is refused when the contactor is
    /// commanded closed at the start and aborted when the loop closes it meanwhile (a vehicle started
    /// to charge). No allocation.
    /// </summary>
    public sealed class ContactorSelfTest
    {
        /// <summary>Default length of the check, ms.</summary>
        public const int DefaultDurationMs = 1000;

        private readonly int _durationMs;
        private int _result;
        private long _startedMs;

        /// <summary>A check of the default length.</summary>
        public ContactorSelfTest()
            : this(DefaultDurationMs)
        {
        }

        /// <summary>A check lasting <paramref name="durationMs"/> (positive).</summary>
        public ContactorSelfTest(int durationMs)
        {
            if (durationMs <= 0)
            {
                throw new System.ArgumentOutOfRangeException(nameof(durationMs));
            }

            _durationMs = durationMs;
            _result = SelfTestResult.Idle;
        }

        /// <summary>Length of the check, ms.</summary>
        public int DurationMs
        {
            get { return _durationMs; }
        }

        /// <summary>The outcome so far, one of <see cref="SelfTestResult"/>.</summary>
        public int Result
        {
            get { return _result; }
        }

        /// <summary>
        /// Starts the check at monotonic <paramref name="nowMs"/>; refused (<see cref="SelfTestResult.Refused"/>)
        /// while the contactor is commanded closed. A check already running carries on. Returns <see cref="Result"/>.
        /// </summary>
        public int Start(long nowMs, bool commandedClosed)
        {
            if (_result == SelfTestResult.Running)
            {
                return _result;
            }

            if (commandedClosed)
            {
                _result = SelfTestResult.Refused;
                return _result;
            }

            _startedMs = nowMs;
            _result = SelfTestResult.Running;
            return _result;
        }

        /// <summary>Advances a running check with what the loop commands and the feedback reads; returns <see cref="Result"/>.</summary>
        public int Step(long nowMs, bool commandedClosed, bool feedbackClosed)
        {
            if (_result != SelfTestResult.Running)
            {
                return _result;
            }

            if (commandedClosed)
            {
                _result = SelfTestResult.Aborted;
            }
            else if (feedbackClosed)
            {
                _result = SelfTestResult.Failed;
            }
            else if (nowMs - _startedMs >= _durationMs)
            {
                _result = SelfTestResult.Passed;
            }

            return _result;
        }
    }
}
