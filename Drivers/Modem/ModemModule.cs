using System;
using ChargerFirmware.Drivers.Modbus;

namespace ChargerFirmware.Drivers.Modem
{
    /// <summary>
    /// The ISO 15118 companion module (HomePlug Green PHY modem with its own SLAC and 15118 stack),
    /// read over Modbus RTU with the map in <see cref="ModemRegisters"/> (REGISTERS.md). By default
    /// it shares the converter's RS-485 bus and <see cref="ModbusMaster"/> at unit 2. The control
    /// loop calls <see cref="Poll"/> every tick; the whole map is read every poll period in one
    /// request. Ages reported by the module become local monotonic times: read at = the time the
    /// request was sent minus the age (the value can only be older than that, never newer).
    /// </summary>
    public sealed class ModemModule : IPowerLineModem, IPolled
    {
        // Static, not const: on nanoFramework every load of a literal allocates a new string.
        private static readonly string HexDigits = "0123456789ABCDEF";

        private readonly ModbusMaster _master;
        private readonly ModbusTransaction _tx = new ModbusTransaction(ModemRegisters.Length);
        private readonly int _unit;
        private readonly int _pollPeriodMs;
        private readonly int _failuresForLoss;
        private readonly byte[] _idBytes = new byte[ModemRegisters.EvccIdRegisters * 2];
        private readonly char[] _hex = new char[ModemRegisters.EvccIdRegisters * 4];
        private long _nextPollMs;
        private int _failures;
        private bool _lost;
        private bool _everAnswered;

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
        /// Creates the driver for unit <paramref name="unitId"/>, read every
        /// <paramref name="pollPeriodMs"/>; <paramref name="failuresForLoss"/> failed reads in a
        /// row (after the master's retries) mean the module is lost.
        /// </summary>
        public ModemModule(ModbusMaster master, int unitId, int pollPeriodMs, int failuresForLoss)
        {
            if (master == null)
            {
                throw new ArgumentNullException(nameof(master));
            }

            if (pollPeriodMs < 1 || failuresForLoss < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(pollPeriodMs));
            }

            _master = master;
            _unit = unitId;
            _pollPeriodMs = pollPeriodMs;
            _failuresForLoss = failuresForLoss;
        }

        /// <summary>The module's SLAC state (ModemRegisters.Slac*), as last read.</summary>
        public int SlacState { get; private set; }

        /// <summary>The module's match counter, as last read: a change means a new session.</summary>
        public int MatchCount { get; private set; }

        /// <summary>
        /// Advances the polling: polls the master, takes a finished read, starts the next when due.
        /// Never blocks; allocates only when the vehicle id changes.
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
                Take();
                _tx.Clear();
            }

            if (nowMs >= _nextPollMs)
            {
                _tx.ReadHoldingRegisters(_unit, ModemRegisters.MapId, ModemRegisters.Length);
                if (_master.Begin(_tx))
                {
                    _nextPollMs = nowMs + _pollPeriodMs;
                }
            }
        }

        /// <inheritdoc />
        public bool Read(VehicleLinkReading reading)
        {
            bool usable = _everAnswered && !_lost;
            reading.LinkUp = usable && _linkUp;
            reading.Matched = usable && _matched;
            reading.VehicleId = _vehicleId;
            reading.SocPermille = _socPermille;
            reading.SocReadAtMs = _socReadAtMs;
            reading.CapacityWh = _capacityWh;
            reading.MaxChargeW = _maxChargeW;
            reading.MaxDischargeW = _maxDischargeW;
            reading.LimitsReadAtMs = _limitsReadAtMs;
            return usable;
        }

        private void Take()
        {
            ushort[] r = _tx.Registers;
            if (_tx.Status != ModbusStatus.Done || r[ModemRegisters.MapId] != ModemRegisters.MapIdValue
                || r[ModemRegisters.MapVersion] != ModemRegisters.MapVersionValue)
            {
                _failures++;
                _lost |= _failures >= _failuresForLoss;
                return;
            }

            _failures = 0;
            _lost = false;
            _everAnswered = true;
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
            if (!_matched || length > _idBytes.Length)
            {
                length = 0;
            }

            bool changed = length != _idLength;
            for (int i = 0; i < length; i++)
            {
                int word = r[ModemRegisters.EvccId + (i / 2)];
                byte b = (byte)((i & 1) == 0 ? word >> 8 : word);
                changed |= b != _idBytes[i];
                _idBytes[i] = b;
            }

            if (!changed)
            {
                return;
            }

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
