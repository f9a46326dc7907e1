using ChargerFirmware.Events;

namespace ChargerFirmware.Diagnostics
{
    /// <summary>What an <see cref="EventLogEntry"/> records, with its name on the console (int constants, explicit names).</summary>
    public static class LogCodes
    {
        /// <summary>No code.</summary>
        public const int None = 0;

        /// <summary>A fault was raised: Arg1 is the fault code.</summary>
        public const int FaultRaised = 1;

        /// <summary>A fault cleared: Arg1 is the fault code.</summary>
        public const int FaultCleared = 2;

        /// <summary>A vehicle was plugged in: Text is the session id.</summary>
        public const int Plugged = 3;

        /// <summary>The vehicle left: Text is the session id.</summary>
        public const int Unplugged = 4;

        /// <summary>The driver is asked for consent: Text is the session id.</summary>
        public const int ConsentRequested = 5;

        /// <summary>The driver allowed: Text is the session id.</summary>
        public const int ConsentGranted = 6;

        /// <summary>The driver refused or did not answer: Text is the session id.</summary>
        public const int ConsentDenied = 7;

        /// <summary>The driver stopped sharing: Text is the session id.</summary>
        public const int ConsentRevoked = 8;

        /// <summary>A session ended: Text is the session id.</summary>
        public const int SessionEnded = 9;

        /// <summary>A dispatch was acknowledged: Arg1 is the dispatch status, Text the dispatch id.</summary>
        public const int DispatchAck = 10;

        /// <summary>A dispatch ran out: Text is the dispatch id.</summary>
        public const int DispatchExpired = 11;

        /// <summary>A setting changed in the running charger: Arg1 is its <c>ConfigRegistry</c> index.</summary>
        public const int ConfigApplied = 12;

        /// <summary>A setting was stored for the next start: Arg1 is its <c>ConfigRegistry</c> index.</summary>
        public const int ConfigSaved = 13;

        /// <summary>A preset was edited: Arg1 is the edit, Arg2 its result (0 ok), Text the preset's name.</summary>
        public const int PresetEdited = 14;

        /// <summary>A self-test finished: Arg1 is the test id, Arg2 its result.</summary>
        public const int SelfTest = 15;

        /// <summary>A technician logged in.</summary>
        public const int Login = 16;

        /// <summary>A wrong PIN was entered: Arg1 is the failures in a row.</summary>
        public const int LoginFailed = 17;

        /// <summary>The console locked itself after too many wrong PINs: Arg1 is the lock time in s.</summary>
        public const int ConsoleLocked = 18;

        /// <summary>The technician logged out: Arg1 is 1 when it was for inactivity.</summary>
        public const int Logout = 19;

        /// <summary>The technician PIN was set or changed.</summary>
        public const int PinSet = 20;

        /// <summary>A technician asked for something (Text: the command).</summary>
        public const int Request = 21;

        /// <summary>The firmware restarts now.</summary>
        public const int Rebooting = 22;

        /// <summary>A worker thread died and was restarted (Text: which).</summary>
        public const int WorkerRestarted = 23;

        /// <summary>A technician had a remembered car forgotten: Arg1 the result (a <c>VehicleMemoryResults</c> constant), Text the car's id (none: every car).</summary>
        public const int VehicleForgotten = 24;

        /// <summary>A stored file's load result or write state: Arg1 is the <c>StoredFile</c>, Arg2 the <c>LoadResults</c> code.</summary>
        public const int Storage = 25;

        /// <summary>The firmware started (entries before it are from earlier runs: their monotonic times are of those runs).</summary>
        public const int Boot = 26;

        /// <summary>The service procedure was done at start (the service button): a new PIN may be set.</summary>
        public const int ServiceMode = 27;

        /// <summary>A technician reset the dispatch sequence mark to 0 (Text: the mark it had).</summary>
        public const int DispatchSeqReset = 28;

        /// <summary>Number of codes.</summary>
        public const int Count = 29;

        private static readonly string[] _names =
        {
            "none", "fault-raised", "fault-cleared", "plugged", "unplugged", "consent-requested", "consent-granted",
            "consent-denied", "consent-revoked", "session-ended", "dispatch-ack", "dispatch-expired", "config-applied",
            "config-saved", "preset-edited", "selftest", "login", "login-failed", "console-locked", "logout", "pin-set",
            "request", "rebooting", "worker-restarted", "vehicle-forgotten", "storage", "boot", "service-mode",
            "dispatch-seq-reset",
        };

        /// <summary>The console name of <paramref name="code"/>.</summary>
        public static string Name(int code)
        {
            return code >= 0 && code < Count ? _names[code] : "unknown";
        }

        /// <summary>The code that logs an outbox notice of kind <paramref name="outboundKind"/>, or <see cref="None"/>.</summary>
        public static int FromOutbound(int outboundKind)
        {
            switch (outboundKind)
            {
                case OutboundKind.FaultRaised:
                    return FaultRaised;
                case OutboundKind.FaultCleared:
                    return FaultCleared;
                case OutboundKind.Plugged:
                    return Plugged;
                case OutboundKind.Unplugged:
                    return Unplugged;
                case OutboundKind.ConsentRequested:
                    return ConsentRequested;
                case OutboundKind.ConsentGranted:
                    return ConsentGranted;
                case OutboundKind.ConsentDenied:
                    return ConsentDenied;
                case OutboundKind.ConsentRevoked:
                    return ConsentRevoked;
                case OutboundKind.SessionEnded:
                    return SessionEnded;
                case OutboundKind.DispatchAck:
                    return DispatchAck;
                case OutboundKind.DispatchExpired:
                    return DispatchExpired;
                case OutboundKind.StorageReport:
                    return Storage;
                default:
                    return None;
            }
        }
    }
}
