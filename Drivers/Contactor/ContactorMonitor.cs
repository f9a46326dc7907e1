using System;

namespace ChargerFirmware.Drivers.Contactor
{
    /// <summary>
    /// Compares the contactor's command with its auxiliary feedback over time: feedback still closed
    /// <see cref="WeldTimeoutMs"/> after the command to open (default 1000 ms, the check OpenEVSE
    /// makes about 1 s after opening) means welded contacts; feedback not closed
    /// <see cref="CloseTimeoutMs"/> after the command to close (default 500 ms, contactors close in
    /// tens of ms), or dropping open while commanded closed for as long, means it failed to close.
    /// A fault latches until <see cref="Reset"/>: a contactor that was once stuck is not trusted
    /// again without a person looking at it. No allocation.
    /// </summary>
    public sealed class ContactorMonitor
    {
        /// <summary>Default time the feedback may stay closed after opening, in ms.</summary>
        public const int DefaultWeldTimeoutMs = 1000;

        /// <summary>Default time the feedback may stay open after closing, in ms.</summary>
        public const int DefaultCloseTimeoutMs = 500;

        private readonly int _weldTimeoutMs;
        private readonly int _closeTimeoutMs;
        private int _status;
        private bool _mismatch;
        private long _mismatchSinceMs;

        /// <summary>A monitor with the default timeouts.</summary>
        public ContactorMonitor()
            : this(DefaultWeldTimeoutMs, DefaultCloseTimeoutMs)
        {
        }

        /// <summary>A monitor with the given timeouts in ms (positive).</summary>
        public ContactorMonitor(int weldTimeoutMs, int closeTimeoutMs)
        {
            if (weldTimeoutMs <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(weldTimeoutMs));
            }

            if (closeTimeoutMs <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(closeTimeoutMs));
            }

            _weldTimeoutMs = weldTimeoutMs;
            _closeTimeoutMs = closeTimeoutMs;
            _status = ContactorStatus.Ok;
        }

        /// <summary>Time the feedback may stay closed after opening, in ms.</summary>
        public int WeldTimeoutMs
        {
            get { return _weldTimeoutMs; }
        }

        /// <summary>Time the feedback may stay open after closing, in ms.</summary>
        public int CloseTimeoutMs
        {
            get { return _closeTimeoutMs; }
        }

        /// <summary>The latched status, one of <see cref="ContactorStatus"/>.</summary>
        public int Status
        {
            get { return _status; }
        }

        /// <summary>
        /// Feeds the command and the feedback seen at monotonic <paramref name="nowMs"/>, every tick;
        /// returns <see cref="Status"/>. Time counts from the first tick the two disagree, so call it
        /// in the tick the command changes.
        /// </summary>
        public int Update(bool commandedClosed, bool feedbackClosed, long nowMs)
        {
            if (_status != ContactorStatus.Ok)
            {
                return _status;
            }

            if (commandedClosed == feedbackClosed)
            {
                _mismatch = false;
                return _status;
            }

            if (!_mismatch)
            {
                _mismatch = true;
                _mismatchSinceMs = nowMs;
            }

            long elapsedMs = nowMs - _mismatchSinceMs;
            if (commandedClosed)
            {
                if (elapsedMs >= _closeTimeoutMs)
                {
                    _status = ContactorStatus.FailedToClose;
                }
            }
            else if (elapsedMs >= _weldTimeoutMs)
            {
                _status = ContactorStatus.Welded;
            }

            return _status;
        }

        /// <summary>Clears a latched fault (after service) and starts watching afresh.</summary>
        public void Reset()
        {
            _status = ContactorStatus.Ok;
            _mismatch = false;
        }
    }

    /// <summary>What <see cref="ContactorMonitor"/> concluded.</summary>
    public static class ContactorStatus
    {
        /// <summary>The feedback follows the command (or is still within its time).</summary>
        public const int Ok = 0;

        /// <summary>The feedback stayed closed after the command to open: contacts welded.</summary>
        public const int Welded = 1;

        /// <summary>The feedback stayed (or fell) open while commanded closed.</summary>
        public const int FailedToClose = 2;

        /// <summary>The status's name for logs and the wire.</summary>
        public static string Name(int status)
        {
            switch (status)
            {
                case Ok:
                    return "ok";
                case Welded:
                    return "welded";
                case FailedToClose:
                    return "failed-to-close";
                default:
                    return "unknown";
            }
        }
    }
}
