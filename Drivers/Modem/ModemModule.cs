using System;
using ChargerFirmware.Drivers.Modbus;

namespace ChargerFirmware.Drivers.Modem
{
    /// <summary>
    /// The ISO 15118 companion module (HomePlug Green PHY modem with its own SLAC and 15118 stack),
    /// read over Modbus RTU with the map in <see cref="ModemRegisters"/> (REGISTERS.md). By default
    /// it shares the converter's RS-485 bus and <see cref="ModbusMaster"/> at unit 2. The control
    /// loop calls <see cref="Poll"/> every tick; the main block is read every poll period in one
    /// request, the extended EVCCID block only when a new vehicle's id is longer than 8 bytes. Ages
    /// reported by the module become local monotonic times: read at = the time the request was sent
    /// minus the age (the value can only be older than that, never newer). A module that stops
    /// answering is probed with a doubling wait, one attempt per probe, so it leaves the shared bus
    /// to the converter.
    /// </summary>
    public sealed class ModemModule : IPowerLineModem, IPolled
    {
        // Static, not const: on nanoFramework every load of a literal allocates a new string.
        private static readonly string HexDigits = "0123456789ABCDEF";

        private const int ShortIdBytes = ModemRegisters.EvccIdRegisters * 2;

        private readonly ModbusMaster _master;
        private readonly ModbusTiming _timing;
        private readonly ModemModuleOptions _options;
        private readonly ModbusTransaction _tx = new ModbusTransaction(ModemRegisters.Length);
        private readonly PollBackoff _backoff = new PollBackoff();
        private readonly byte[] _idBytes = new byte[ModemRegisters.EvccIdMaxLength];
        private readonly char[] _hex = new char[ModemRegisters.EvccIdMaxLength * 2];
        private long _nextPollMs;
        private bool _readingExtended;
        private bool _extendedWanted;
        private int _extendedMatch;
        private int _extendedLength;
        private int _idMatch = -1;
        private bool _lost;
        private bool _everAnswered;
        private int _mapProblem;
        private int _mapDetail;

        private bool _linkUp;
        private bool _matched;
        private int _idLength;
        private string? _vehicleId;
        private int _socPermille;
        private long _socReadAtMs = VehicleLinkReading.Never;
        private int _capacityWh;
        private int _maxChargeW;
        private int _maxDischargeW;
        private long _limitsReadAtMs = VehicleLinkReading.Never;

        /// <summary>
        /// Creates the driver on <paramref name="master"/> (whose timing it shares) with
        /// <paramref name="options"/> (kept, not copied: a changed poll period applies at once).
        /// </summary>
        public ModemModule(ModbusMaster master, ModemModuleOptions options)
        {
            if (master == null || options == null)
            {
                throw new ArgumentNullException(nameof(master));
            }

            if (options.PollPeriodMs < 1 || options.FailuresForLoss < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(options));
            }

            _master = master;
            _timing = master.Timing;
            _options = options;
        }

        /// <summary>The module's SLAC state (ModemRegisters.Slac*), as last read.</summary>
        public int SlacState { get; private set; }

        /// <summary>The module's match counter, as last read: a change means a new session.</summary>
        public int MatchCount { get; private set; }

        /// <summary>Failed reads in a row (timeouts, corrupt frames) since the last answer.</summary>
        public int Failures
        {
            get { return _backoff.Failures; }
        }

        /// <summary>
        /// Advances the polling: polls the master, takes a finished read, starts the next when due.
        /// Never blocks, never throws for the bus; allocates only when the vehicle id changes.
        /// </summary>
        public void Poll(long nowMs)
        {
            _master.Poll(nowMs);
            if (_tx.IsBusy)
            {
                return;
            }

            if (_tx.IsFinished)
            {
                if (_readingExtended)
                {
                    TakeExtended();
                }
                else
                {
                    Take(nowMs);
                }

                _tx.Clear();
            }

            if (_extendedWanted)
            {
                int count = 2 + ((_extendedLength + 1) / 2);
                _tx.ReadHoldingRegisters(_options.UnitId, ModemRegisters.ExtendedIdBlock, count);
                Begin(true);
            }
            else if (nowMs >= _nextPollMs)
            {
                _tx.ReadHoldingRegisters(_options.UnitId, ModemRegisters.MapId, ModemRegisters.Length);
                if (Begin(false))
                {
                    _nextPollMs = nowMs + _options.PollPeriodMs;
                }
            }
        }

        /// <inheritdoc />
        public bool Read(VehicleLinkReading reading)
        {
            bool usable = _everAnswered && !_lost && _mapProblem == ModemProblems.None;
            reading.LinkUp = usable && _linkUp;
            reading.Matched = usable && _matched;
            reading.VehicleId = _vehicleId;
            reading.SocPermille = _socPermille;
            reading.SocReadAtMs = _socReadAtMs;
            reading.CapacityWh = _capacityWh;
            reading.MaxChargeW = _maxChargeW;
            reading.MaxDischargeW = _maxDischargeW;
            reading.LimitsReadAtMs = _limitsReadAtMs;
            reading.Problem = _lost ? ModemProblems.NoAnswer : _mapProblem;
            reading.ProblemDetail = _lost ? _backoff.Failures : _mapDetail;
            return usable;
        }

        private bool Begin(bool extended)
        {
            // A lost module gets one attempt per probe: its silence costs the shared bus one timeout.
            _tx.NoRetry = _lost;
            if (!_master.Begin(_tx))
            {
                return false;
            }

            _readingExtended = extended;
            _extendedWanted = false;
            return true;
        }

        private void Take(long nowMs)
        {
            ushort[] r = _tx.Registers;
            if (!_tx.Answered)
            {
                _backoff.Failed(_options.PollPeriodMs, _timing.BackoffMaxMs);
                if (_backoff.Failures >= _options.FailuresForLoss)
                {
                    _lost = true;
                    _nextPollMs = _tx.SentAtMs + _backoff.WaitMs;
                }

                return;
            }

            _backoff.Answered();
            _lost = false;
            if (_tx.Status != ModbusStatus.Done)
            {
                MapProblem(ModemProblems.ReadRefused, _tx.ExceptionCode);
            }
            else if (r[ModemRegisters.MapId] != ModemRegisters.MapIdValue)
            {
                MapProblem(ModemProblems.WrongMapId, r[ModemRegisters.MapId]);
            }
            else if (r[ModemRegisters.MapVersion] != ModemRegisters.MapVersionValue)
            {
                MapProblem(ModemProblems.UnknownVersion, r[ModemRegisters.MapVersion]);
            }
            else
            {
                MapProblem(ModemProblems.None, 0);
                _everAnswered = true;
                TakeMap(r);
            }
        }

        private void MapProblem(int problem, int detail)
        {
            _mapProblem = problem;
            _mapDetail = detail;
        }

        private void TakeMap(ushort[] r)
        {
            int status = r[ModemRegisters.Status];
            _linkUp = (status & ModemRegisters.StatusLinkUp) != 0;
            _matched = _linkUp && (status & ModemRegisters.StatusMatched) != 0;
            SlacState = r[ModemRegisters.SlacState];
            MatchCount = r[ModemRegisters.MatchCount];
            TakeVehicleId(r);

            long sentAt = _tx.SentAtMs;
            int soc = r[ModemRegisters.SocPermille];
            long socAge = Word32(r, ModemRegisters.SocAgeMs);
            if (_matched && soc <= 1000 && socAge != ModemRegisters.UnknownUInt32)
            {
                _socPermille = soc;
                _socReadAtMs = sentAt - socAge;
            }
            else
            {
                _socPermille = 0;
                _socReadAtMs = VehicleLinkReading.Never;
            }

            long limitsAge = Word32(r, ModemRegisters.LimitsAgeMs);
            if (_matched && limitsAge != ModemRegisters.UnknownUInt32)
            {
                _capacityWh = Positive(Word32(r, ModemRegisters.CapacityWh));
                _maxChargeW = Positive(Word32(r, ModemRegisters.MaxChargeW));
                _maxDischargeW = Positive(Word32(r, ModemRegisters.MaxDischargeW));
                _limitsReadAtMs = sentAt - limitsAge;
            }
            else
            {
                _capacityWh = 0;
                _maxChargeW = 0;
                _maxDischargeW = 0;
                _limitsReadAtMs = VehicleLinkReading.Never;
            }
        }

        private void TakeVehicleId(ushort[] r)
        {
            int length = r[ModemRegisters.EvccIdLength];
            if (!_matched || length > ModemRegisters.EvccIdMaxLength)
            {
                length = 0;
            }

            if (length > ShortIdBytes)
            {
                // A long id is read from the extended block, once per session: the module keeps it
                // fixed for a MatchCount, and the first 8 bytes here must agree with what was read.
                bool known = _idMatch == MatchCount && _idLength == length && SameBytes(r, ModemRegisters.EvccId, ShortIdBytes);
                if (!known)
                {
                    if (_idLength != 0)
                    {
                        // Not this session's id: none until the extended block is read.
                        SetVehicleId(0);
                    }

                    _extendedWanted = true;
                    _extendedMatch = MatchCount;
                    _extendedLength = length;
                }

                return;
            }

            bool changed = length != _idLength || !SameBytes(r, ModemRegisters.EvccId, length);
            if (changed)
            {
                CopyBytes(r, ModemRegisters.EvccId, length);
                _idMatch = MatchCount;
                SetVehicleId(length);
            }
        }

        private void TakeExtended()
        {
            ushort[] r = _tx.Registers;
            bool consistent = _tx.Status == ModbusStatus.Done
                && r[ModemRegisters.ExtendedMatchCount - ModemRegisters.ExtendedIdBlock] == _extendedMatch
                && r[ModemRegisters.ExtendedIdLength - ModemRegisters.ExtendedIdBlock] == _extendedLength;
            if (!consistent)
            {
                // Another session began in between (or the read failed): the next main read decides again.
                return;
            }

            CopyBytes(r, ModemRegisters.ExtendedId - ModemRegisters.ExtendedIdBlock, _extendedLength);
            _idMatch = _extendedMatch;
            SetVehicleId(_extendedLength);
        }

        private bool SameBytes(ushort[] r, int first, int length)
        {
            for (int i = 0; i < length; i++)
            {
                if (ByteAt(r, first, i) != _idBytes[i])
                {
                    return false;
                }
            }

            return true;
        }

        private void CopyBytes(ushort[] r, int first, int length)
        {
            for (int i = 0; i < length; i++)
            {
                _idBytes[i] = ByteAt(r, first, i);
            }
        }

        private static byte ByteAt(ushort[] r, int first, int i)
        {
            int word = r[first + (i / 2)];
            return (byte)((i & 1) == 0 ? word >> 8 : word);
        }

        private void SetVehicleId(int length)
        {
            _idLength = length;
            if (length == 0)
            {
                _vehicleId = null;
                return;
            }

            for (int i = 0; i < length; i++)
            {
                _hex[2 * i] = HexDigits[_idBytes[i] >> 4];
                _hex[(2 * i) + 1] = HexDigits[_idBytes[i] & 0xF];
            }

            _vehicleId = new string(_hex, 0, 2 * length);
        }

        private static long Word32(ushort[] r, int index)
        {
            return ((long)r[index] << 16) | r[index + 1];
        }

        private static int Positive(long value)
        {
            return value > int.MaxValue ? int.MaxValue : (int)value;
        }
    }
}
