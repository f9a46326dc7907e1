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
            _result = ContactorSelfTestResult.Idle;
        }

        /// <summary>Length of the check, ms.</summary>
        public int DurationMs
        {
            get { return _durationMs; }
        }

        /// <summary>The outcome so far, one of <see cref="ContactorSelfTestResult"/>.</summary>
        public int Result
        {
            get { return _result; }
        }

        /// <summary>
        /// Starts the check at monotonic <paramref name="nowMs"/>; refused (<see cref="ContactorSelfTestResult.Refused"/>)
        /// while the contactor is commanded closed. A check already running carries on. Returns <see cref="Result"/>.
        /// </summary>
        public int Start(long nowMs, bool commandedClosed)
        {
            if (_result == ContactorSelfTestResult.Running)
            {
                return _result;
            }

            if (commandedClosed)
            {
                _result = ContactorSelfTestResult.Refused;
                return _result;
            }

            _startedMs = nowMs;
            _result = ContactorSelfTestResult.Running;
            return _result;
        }

        /// <summary>Advances a running check with what the loop commands and the feedback reads; returns <see cref="Result"/>.</summary>
        public int Step(long nowMs, bool commandedClosed, bool feedbackClosed)
        {
            if (_result != ContactorSelfTestResult.Running)
            {
                return _result;
            }

            if (commandedClosed)
            {
                _result = ContactorSelfTestResult.Aborted;
            }
            else if (feedbackClosed)
            {
                _result = ContactorSelfTestResult.Failed;
            }
            else if (nowMs - _startedMs >= _durationMs)
            {
                _result = ContactorSelfTestResult.Passed;
            }

            return _result;
        }
    }

    /// <summary>Outcomes of <see cref="ContactorSelfTest"/>.</summary>
    public static class ContactorSelfTestResult
    {
        /// <summary>Not started.</summary>
        public const int Idle = 0;

        /// <summary>Watching the feedback.</summary>
        public const int Running = 1;

        /// <summary>The feedback read open throughout: no weld.</summary>
        public const int Passed = 2;

        /// <summary>The feedback read closed while commanded open: welded contacts or a stuck feedback.</summary>
        public const int Failed = 3;

        /// <summary>Not started: the contactor was commanded closed.</summary>
        public const int Refused = 4;

        /// <summary>Stopped: the contactor was commanded closed during the check.</summary>
        public const int Aborted = 5;

        /// <summary>The result's name for logs and the console.</summary>
        public static string Name(int result)
        {
            switch (result)
            {
                case Idle:
                    return "idle";
                case Running:
                    return "running";
                case Passed:
                    return "passed";
                case Failed:
                    return "failed";
                case Refused:
                    return "refused";
                case Aborted:
                    return "aborted";
                default:
                    return "unknown";
            }
        }
    }
}
