using System;
using ChargerFirmware.Drivers;
using ChargerFirmware.Drivers.Entropy;
using ChargerFirmware.Drivers.Storage;
using ChargerFirmware.Persistence;
using ChargerFirmware.Security;

namespace ChargerFirmware.TechConsole
{
    /// <summary>
    /// The technician's PIN and the console's login. The PIN is stored only as SHA-256(salt ‖ PIN)
    /// with a fresh 16-byte random salt, in a <see cref="CheckedFile"/>. There is no factory PIN: until
    /// one is set (commissioning, or after the PIN file was found corrupt) anyone may read and the only
    /// change allowed is setting the first PIN, which logs in. <see cref="MaxFailures"/> wrong PINs in a
    /// row lock the login for <see cref="LockoutMs"/> on the clock; a login session ends after the idle
    /// time (<see cref="ExpireIdle"/>). Used by the console's thread only.
    /// </summary>
    public sealed class TechnicianAuth
    {
        /// <summary>Wrong PINs in a row that lock the login.</summary>
        public const int MaxFailures = 5;

        /// <summary>How long the login stays locked, ms.</summary>
        public const int LockoutMs = 300000;

        /// <summary>Shortest PIN, characters.</summary>
        public const int MinPinLength = 6;

        /// <summary>Longest PIN, characters.</summary>
        public const int MaxPinLength = 16;

        /// <summary>Random salt bytes stored with the hash.</summary>
        public const int SaltBytes = 16;

        /// <summary>The file name the firmware uses.</summary>
        public const string DefaultFileName = "pin.bin";

        private const int FormatVersion = 1;

        private readonly CheckedFile _file;
        private readonly IEntropySource _entropy;
        private readonly IClock _clock;
        private readonly Sha256 _sha = new Sha256();
        private readonly byte[] _salt = new byte[SaltBytes];
        private readonly byte[] _hash = new byte[Sha256.HashBytes];
        private readonly byte[] _candidate = new byte[Sha256.HashBytes];
        private readonly byte[] _pinBytes = new byte[MaxPinLength];
        private long _lockedUntilMs = -1;
        private long _lastActivityMs;

        /// <summary>A login over the PIN file <paramref name="fileName"/> in <paramref name="storage"/>; call <see cref="Load"/> at start.</summary>
        public TechnicianAuth(IStorage storage, string fileName, IEntropySource entropy, IClock clock)
        {
            _file = new CheckedFile(storage, fileName);
            _entropy = entropy;
            _clock = clock;
            LoadResult = PinLoadResults.NotLoaded;
        }

        /// <summary>What the last <see cref="Load"/> found (a <see cref="PinLoadResults"/> constant).</summary>
        public int LoadResult { get; private set; }

        /// <summary>True when a valid PIN is stored; false in commissioning.</summary>
        public bool PinSet { get; private set; }

        /// <summary>True while a technician is logged in.</summary>
        public bool LoggedIn { get; private set; }

        /// <summary>Wrong PINs in a row.</summary>
        public int Failures { get; private set; }

        /// <summary>Reads the stored PIN hash; a missing or unusable file means commissioning. Returns <see cref="LoadResult"/>.</summary>
        public int Load()
        {
            PinSet = false;
            LoggedIn = false;
            byte[]? payload;
            try
            {
                payload = _file.Read(FormatVersion);
            }
            catch (Exception)
            {
                payload = null;
            }

            if (payload == null || payload.Length != SaltBytes + Sha256.HashBytes)
            {
                LoadResult = payload == null && _file.LastStatus == CheckedFileStatus.Missing ? PinLoadResults.Missing : PinLoadResults.Corrupt;
                return LoadResult;
            }

            Array.Copy(payload, 0, _salt, 0, SaltBytes);
            Array.Copy(payload, SaltBytes, _hash, 0, Sha256.HashBytes);
            PinSet = true;
            LoadResult = PinLoadResults.Valid;
            return LoadResult;
        }

        /// <summary>Milliseconds the login stays locked from now, 0 when not locked.</summary>
        public long LockRemainingMs()
        {
            long now = _clock.MonotonicMs;
            return _lockedUntilMs > now ? _lockedUntilMs - now : 0;
        }

        /// <summary>Checks <paramref name="pin"/> and logs in on a match; returns an <see cref="AuthResults"/> constant.</summary>
        public int Login(string pin)
        {
            if (!PinSet)
            {
                return AuthResults.NoPin;
            }

            if (LockRemainingMs() > 0)
            {
                return AuthResults.Locked;
            }

            if (!IsValidPin(pin) || !Matches(pin))
            {
                Failures++;
                if (Failures >= MaxFailures)
                {
                    _lockedUntilMs = _clock.MonotonicMs + LockoutMs;
                    Failures = 0;
                    return AuthResults.Locked;
                }

                return AuthResults.WrongPin;
            }

            Failures = 0;
            LoggedIn = true;
            _lastActivityMs = _clock.MonotonicMs;
            return AuthResults.Ok;
        }

        /// <summary>Ends the login session.</summary>
        public void Logout()
        {
            LoggedIn = false;
        }

        /// <summary>Counts activity now (a command), postponing the idle logout.</summary>
        public void Touch()
        {
            _lastActivityMs = _clock.MonotonicMs;
        }

        /// <summary>Logs out when no activity came for <paramref name="idleMs"/>; true when it did so now.</summary>
        public bool ExpireIdle(int idleMs)
        {
            if (!LoggedIn || _clock.MonotonicMs - _lastActivityMs < idleMs)
            {
                return false;
            }

            LoggedIn = false;
            return true;
        }

        /// <summary>
        /// Stores <paramref name="newPin"/> with a fresh salt; allowed when logged in, or in commissioning
        /// (then it logs in). Returns an <see cref="AuthResults"/> constant.
        /// </summary>
        public int SetPin(string newPin)
        {
            if (PinSet && !LoggedIn)
            {
                return AuthResults.NotAllowed;
            }

            if (!IsValidPin(newPin))
            {
                return AuthResults.BadPin;
            }

            byte[] salt = new byte[SaltBytes];
            _entropy.Fill(salt, 0, SaltBytes);
            byte[] payload = new byte[SaltBytes + Sha256.HashBytes];
            Array.Copy(salt, 0, payload, 0, SaltBytes);
            Digest(salt, newPin, payload, SaltBytes);
            try
            {
                _file.Write(FormatVersion, payload, payload.Length);
            }
            catch (Exception)
            {
                return AuthResults.StorageFailed;
            }

            Array.Copy(salt, 0, _salt, 0, SaltBytes);
            Array.Copy(payload, SaltBytes, _hash, 0, Sha256.HashBytes);
            PinSet = true;
            LoggedIn = true;
            Failures = 0;
            _lastActivityMs = _clock.MonotonicMs;
            return AuthResults.Ok;
        }

        /// <summary>True for <see cref="MinPinLength"/>..<see cref="MaxPinLength"/> printable ASCII characters without spaces.</summary>
        public static bool IsValidPin(string pin)
        {
            if (pin == null || pin.Length < MinPinLength || pin.Length > MaxPinLength)
            {
                return false;
            }

            for (int i = 0; i < pin.Length; i++)
            {
                if (pin[i] <= ' ' || pin[i] > '~')
                {
                    return false;
                }
            }

            return true;
        }

        private bool Matches(string pin)
        {
            Digest(_salt, pin, _candidate, 0);

            // Compare every byte whatever the first difference: the time says nothing about the PIN.
            int difference = 0;
            for (int i = 0; i < Sha256.HashBytes; i++)
            {
                difference |= _candidate[i] ^ _hash[i];
            }

            return difference == 0;
        }

        private void Digest(byte[] salt, string pin, byte[] output, int offset)
        {
            for (int i = 0; i < pin.Length; i++)
            {
                _pinBytes[i] = (byte)pin[i];
            }

            _sha.Reset();
            _sha.Update(salt, 0, SaltBytes);
            _sha.Update(_pinBytes, 0, pin.Length);
            _sha.Final(output, offset);
            Array.Clear(_pinBytes, 0, _pinBytes.Length);
        }
    }

    /// <summary>What <see cref="TechnicianAuth.Load"/> found.</summary>
    public static class PinLoadResults
    {
        /// <summary>Not loaded yet.</summary>
        public const int NotLoaded = 0;

        /// <summary>A PIN is set.</summary>
        public const int Valid = 1;

        /// <summary>No PIN file: commissioning.</summary>
        public const int Missing = 2;

        /// <summary>The PIN file is unusable: commissioning again, reported.</summary>
        public const int Corrupt = 3;

        /// <summary>The result's name.</summary>
        public static string Name(int result)
        {
            switch (result)
            {
                case NotLoaded:
                    return "not-loaded";
                case Valid:
                    return "set";
                case Missing:
                    return "not-set";
                case Corrupt:
                    return "corrupt";
                default:
                    return "unknown";
            }
        }
    }

    /// <summary>Outcomes of logins and PIN changes.</summary>
    public static class AuthResults
    {
        /// <summary>Done.</summary>
        public const int Ok = 0;

        /// <summary>The PIN does not match.</summary>
        public const int WrongPin = 1;

        /// <summary>Too many wrong PINs: locked for a while.</summary>
        public const int Locked = 2;

        /// <summary>No PIN is set yet (commissioning).</summary>
        public const int NoPin = 3;

        /// <summary>The new PIN does not meet the rules.</summary>
        public const int BadPin = 4;

        /// <summary>Log in first.</summary>
        public const int NotAllowed = 5;

        /// <summary>The PIN file could not be written; the old PIN stays.</summary>
        public const int StorageFailed = 6;
    }
}
