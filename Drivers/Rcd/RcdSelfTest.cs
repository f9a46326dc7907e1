using System;

namespace ChargerFirmware.Drivers.Rcd
{
    /// <summary>
    /// The residual current monitor's self-test as a non-blocking sequence, one <see cref="Step"/> per
    /// control tick: the monitor must be clear; the test winding is driven and the monitor must trip
    /// within <see cref="TripDeadlineMs"/> (default 100 ms: the test current is far above the trip
    /// level, modules answer in tens of ms); the winding is released and the trip must clear within
    /// <see cref="ClearDeadlineMs"/> (default 500 ms, room for modules that hold their output a
    /// while). The winding is never left driven once the test ended. A trip is credited at the tick
    /// it is seen, so keep ticks well under the deadlines. No allocation.
    /// </summary>
    public sealed class RcdSelfTest
    {
        /// <summary>Default time allowed for the trip after the test winding is driven, in ms.</summary>
        public const int DefaultTripDeadlineMs = 100;

        /// <summary>Default time allowed for the trip to clear after the winding is released, in ms.</summary>
        public const int DefaultClearDeadlineMs = 500;

        private const int AwaitTrip = 1;
        private const int AwaitClear = 2;

        private readonly IResidualCurrentMonitor _monitor;
        private readonly int _tripDeadlineMs;
        private readonly int _clearDeadlineMs;
        private int _result;
        private int _failedStep;
        private int _phase;
        private long _phaseSinceMs;

        /// <summary>A self-test of <paramref name="monitor"/> with the default deadlines.</summary>
        public RcdSelfTest(IResidualCurrentMonitor monitor)
            : this(monitor, DefaultTripDeadlineMs, DefaultClearDeadlineMs)
        {
        }

        /// <summary>A self-test of <paramref name="monitor"/> with the given deadlines in ms (positive).</summary>
        public RcdSelfTest(IResidualCurrentMonitor monitor, int tripDeadlineMs, int clearDeadlineMs)
        {
            if (monitor == null)
            {
                throw new ArgumentNullException(nameof(monitor));
            }

            if (tripDeadlineMs <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(tripDeadlineMs));
            }

            if (clearDeadlineMs <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(clearDeadlineMs));
            }

            _monitor = monitor;
            _tripDeadlineMs = tripDeadlineMs;
            _clearDeadlineMs = clearDeadlineMs;
            _result = SelfTestResult.Idle;
            _failedStep = RcdSelfTestStep.None;
        }

        /// <summary>Time allowed for the trip, in ms.</summary>
        public int TripDeadlineMs
        {
            get { return _tripDeadlineMs; }
        }

        /// <summary>Time allowed for the trip to clear, in ms.</summary>
        public int ClearDeadlineMs
        {
            get { return _clearDeadlineMs; }
        }

        /// <summary>The outcome so far, one of <see cref="SelfTestResult"/>.</summary>
        public int Result
        {
            get { return _result; }
        }

        /// <summary>Which step failed (<see cref="RcdSelfTestStep"/>); <see cref="RcdSelfTestStep.None"/> unless <see cref="Result"/> is Failed.</summary>
        public int FailedStep
        {
            get { return _failedStep; }
        }

        /// <summary>
        /// Starts the test at monotonic <paramref name="nowMs"/>: fails at once when the monitor is
        /// already tripped, else drives the test winding. A test already running carries on (its own
        /// trip must not fail a restart). Returns <see cref="Result"/>.
        /// </summary>
        public int Start(long nowMs)
        {
            if (_result == SelfTestResult.Running)
            {
                return _result;
            }

            _failedStep = RcdSelfTestStep.None;
            if (_monitor.Tripped)
            {
                return Fail(RcdSelfTestStep.ClearBeforeTest);
            }

            _monitor.DriveTest(true);
            _phase = AwaitTrip;
            _phaseSinceMs = nowMs;
            _result = SelfTestResult.Running;
            return _result;
        }

        /// <summary>Advances the running test at monotonic <paramref name="nowMs"/>; returns <see cref="Result"/>.</summary>
        public int Step(long nowMs)
        {
            if (_result != SelfTestResult.Running)
            {
                return _result;
            }

            bool tripped = _monitor.Tripped;
            long elapsedMs = nowMs - _phaseSinceMs;
            if (_phase == AwaitTrip)
            {
                if (tripped)
                {
                    _monitor.DriveTest(false);
                    _phase = AwaitClear;
                    _phaseSinceMs = nowMs;
                }
                else if (elapsedMs >= _tripDeadlineMs)
                {
                    _monitor.DriveTest(false);
                    return Fail(RcdSelfTestStep.TripOnTest);
                }
            }
            else if (!tripped)
            {
                _result = SelfTestResult.Passed;
            }
            else if (elapsedMs >= _clearDeadlineMs)
            {
                return Fail(RcdSelfTestStep.ClearAfterTest);
            }

            return _result;
        }

        private int Fail(int step)
        {
            _failedStep = step;
            _result = SelfTestResult.Failed;
            return _result;
        }
    }
    /// <summary>The step of <see cref="RcdSelfTest"/> that failed.</summary>
    public static class RcdSelfTestStep
    {
        /// <summary>No step failed.</summary>
        public const int None = 0;

        /// <summary>The monitor was already tripped before the test current (real residual current or stuck output).</summary>
        public const int ClearBeforeTest = 1;

        /// <summary>The monitor did not trip on the test current within the deadline.</summary>
        public const int TripOnTest = 2;

        /// <summary>The trip did not clear within the deadline after the test current stopped.</summary>
        public const int ClearAfterTest = 3;

        /// <summary>The step's name for logs and the wire.</summary>
        public static string Name(int step)
        {
            switch (step)
            {
                case None:
                    return "none";
                case ClearBeforeTest:
                    return "clear-before-test";
                case TripOnTest:
                    return "trip-on-test";
                case ClearAfterTest:
                    return "clear-after-test";
                default:
                    return "unknown";
            }
        }
    }
}
