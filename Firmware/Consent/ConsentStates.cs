using ChargerFirmware.Protocol.Messages;

namespace ChargerFirmware.Consent
{
    /// <summary>
    /// Where the driver's consent stands for the vehicle plugged in now. Int constants with explicit
    /// names: <see cref="Name"/> for logs and screens, <see cref="ToWire"/> for the status the
    /// aggregator sees (the protocol's <see cref="ConsentState"/>: revoked shows as denied there,
    /// announced by the consent-revoked event).
    /// </summary>
    public static class ConsentStates
    {
        /// <summary>No vehicle plugged in, no consent.</summary>
        public const int None = 0;

        /// <summary>Vehicle detected, the driver has not answered yet.</summary>
        public const int Pending = 1;

        /// <summary>The driver allowed the aggregator to use the car within the conditions.</summary>
        public const int Granted = 2;

        /// <summary>The driver refused, or did not answer in time.</summary>
        public const int Denied = 3;

        /// <summary>The driver allowed, then stopped sharing: plain charging until unplugged.</summary>
        public const int Revoked = 4;

        /// <summary>The console and log name: none, pending, granted, denied, revoked ("unknown" otherwise).</summary>
        public static string Name(int state)
        {
            string? wire = ConsentState.Names.Name(ToWire(state));
            return state == Revoked ? "revoked" : (wire ?? "unknown");
        }

        /// <summary>The protocol's <see cref="ConsentState"/> value of <paramref name="state"/> (revoked is denied there; 0 when unknown).</summary>
        public static int ToWire(int state)
        {
            switch (state)
            {
                case None:
                    return ConsentState.None;
                case Pending:
                    return ConsentState.Pending;
                case Granted:
                    return ConsentState.Granted;
                case Denied:
                case Revoked:
                    return ConsentState.Denied;
                default:
                    return 0;
            }
        }
    }

    /// <summary>Who decided the consent (int constants with explicit names).</summary>
    public static class ConsentSources
    {
        /// <summary>Not decided.</summary>
        public const int None = 0;

        /// <summary>A tap on the charger's panel.</summary>
        public const int Panel = 1;

        /// <summary>The driver's phone (or the car's screen), quoting the session id and nonce.</summary>
        public const int Remote = 2;

        /// <summary>Nobody answered in time: counts as a refusal.</summary>
        public const int Timeout = 3;

        /// <summary>The name: none, panel, remote, timeout.</summary>
        public static string Name(int source)
        {
            switch (source)
            {
                case None:
                    return "none";
                case Panel:
                    return "panel";
                case Remote:
                    return "remote";
                case Timeout:
                    return "timeout";
                default:
                    return "unknown";
            }
        }
    }

    /// <summary>The last thing that happened to a consent session, for the event stream (int constants with explicit names).</summary>
    public static class ConsentEvents
    {
        /// <summary>Nothing yet.</summary>
        public const int None = 0;

        /// <summary>A vehicle was plugged in and the driver is asked.</summary>
        public const int Requested = 1;

        /// <summary>The driver allowed.</summary>
        public const int Granted = 2;

        /// <summary>The driver refused.</summary>
        public const int Denied = 3;

        /// <summary>Nobody answered in time (a refusal).</summary>
        public const int TimedOut = 4;

        /// <summary>The driver stopped sharing after allowing.</summary>
        public const int Revoked = 5;

        /// <summary>The vehicle was unplugged; the consent ended.</summary>
        public const int Closed = 6;

        /// <summary>The event name: consent-requested, consent-granted, consent-denied, consent-timeout, consent-revoked, consent-closed.</summary>
        public static string Name(int consentEvent)
        {
            switch (consentEvent)
            {
                case None:
                    return "none";
                case Requested:
                    return "consent-requested";
                case Granted:
                    return "consent-granted";
                case Denied:
                    return "consent-denied";
                case TimedOut:
                    return "consent-timeout";
                case Revoked:
                    return "consent-revoked";
                case Closed:
                    return "consent-closed";
                default:
                    return "unknown";
            }
        }
    }

    /// <summary>The outcome of an answer or request to a consent session (int constants with explicit names).</summary>
    public static class ConsentResults
    {
        /// <summary>Taken into account.</summary>
        public const int Accepted = 0;

        /// <summary>No vehicle plugged in (no session open).</summary>
        public const int NoSession = 1;

        /// <summary>The session id quoted is not the open session's.</summary>
        public const int WrongSession = 2;

        /// <summary>The nonce quoted is not the open session's.</summary>
        public const int WrongNonce = 3;

        /// <summary>An answer came first: the first valid answer wins.</summary>
        public const int AlreadyDecided = 4;

        /// <summary>Remote answers are disabled by configuration.</summary>
        public const int RemoteDisabled = 5;

        /// <summary>The answer came after the deadline (the timeout counted as a refusal).</summary>
        public const int Expired = 6;

        /// <summary>The conditions sent with an allow are out of range.</summary>
        public const int InvalidConditions = 7;

        /// <summary>The preset named in an allow does not exist.</summary>
        public const int UnknownPreset = 8;

        /// <summary>Stop sharing, but the car is not being shared.</summary>
        public const int NotSharing = 9;

        /// <summary>The action is not available now: conditions change only while the driver is asked; no such button.</summary>
        public const int NotAvailable = 10;

        /// <summary>The name: accepted, no-session, wrong-session, wrong-nonce, already-decided, remote-disabled, expired, invalid-conditions, unknown-preset, not-sharing, not-available.</summary>
        public static string Name(int result)
        {
            switch (result)
            {
                case Accepted:
                    return "accepted";
                case NoSession:
                    return "no-session";
                case WrongSession:
                    return "wrong-session";
                case WrongNonce:
                    return "wrong-nonce";
                case AlreadyDecided:
                    return "already-decided";
                case RemoteDisabled:
                    return "remote-disabled";
                case Expired:
                    return "expired";
                case InvalidConditions:
                    return "invalid-conditions";
                case UnknownPreset:
                    return "unknown-preset";
                case NotSharing:
                    return "not-sharing";
                case NotAvailable:
                    return "not-available";
                default:
                    return "unknown";
            }
        }
    }
}
