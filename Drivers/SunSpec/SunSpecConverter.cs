using System;
using ChargerFirmware.Drivers.Converter;
using ChargerFirmware.Drivers.Modbus;

namespace ChargerFirmware.Drivers.SunSpec
{
    /// <summary>
    /// The bidirectional converter over Modbus RTU with SunSpec models 1 (common), 124 (basic
    /// storage controls: the setpoint) and 714 (DER DC measurement: power, voltage, current and
    /// the energy counters of the car-side port). The control loop calls <see cref="Poll"/> every
    /// tick; it runs one transaction at a time on the shared <see cref="ModbusMaster"/> and never
    /// waits. <see cref="Read"/> returns the last values.
    /// </summary>
    /// <remarks>
    /// Schedule: discover the map and read model 1 once; then, by priority, write the rates when
    /// the setpoint changed, when <see cref="SunSpecConverterOptions.RefreshPeriodMs"/> passed, or
    /// when the read-back differs; write StorCtl_Mod when it is not both limits; read model 714 and
    /// model 124 every <see cref="SunSpecConverterOptions.CyclePeriodMs"/>. A setpoint of P W is
    /// written as InWRte = P / WChaMax and OutWRte = -InWRte (in %, scaled by InOutWRte_SF) with
    /// both StorCtl_Mod bits set, which pins the converter's window to exactly P in either
    /// direction. Every rate write also sets InOutWRte_RvrtTms, so a converter no longer refreshed
    /// falls back to zero by itself.
    /// </remarks>
    public sealed class SunSpecConverter : IConverter, IPolled
    {
        /// <summary>Probing for the SunSpec map.</summary>
        public const int PhaseDiscovering = 0;

        /// <summary>Reading model 1.</summary>
        public const int PhaseReadingCommon = 1;

        /// <summary>Reading measurements and writing the setpoint.</summary>
        public const int PhaseRunning = 2;

        /// <summary>The device has no SunSpec map with models 124 and 714; probed again later.</summary>
        public const int PhaseUnsupported = 3;

        private const int RequestNone = 0;
        private const int RequestDiscovery = 1;
        private const int RequestCommon = 2;
        private const int RequestMeasurements = 3;
        private const int RequestStorage = 4;
        private const int RequestRates = 5;
        private const int RequestMode = 6;

        private const int BothLimits = StorageModel.ModeCharge | StorageModel.ModeDischarge;
        private const int RateRegisters = StorageModel.InOutWRteRmpTms - StorageModel.OutWRte + 1;
        private const int StorageReadLength = SunSpecMap.HeaderLength + StorageModel.Length;

        private readonly ModbusMaster _master;
        private readonly ModbusTransaction _tx;
        private readonly SunSpecDiscovery _discovery = new SunSpecDiscovery();
        private readonly int _unit;
        private readonly int _cyclePeriodMs;
        private readonly int _refreshPeriodMs;
        private readonly int _revertSeconds;
        private readonly int _rampSeconds;
        private readonly int _failuresForFault;
        private readonly int _rediscoverDelayMs;

        private int _request;
        private long _nextAttemptMs;
        private long _nextMeasureMs;
        private long _nextStorageMs;
        private int _commonAddress;
        private int _commonCount;
        private int _storageAddress;
        private int _dcAddress;
        private int _dcCount;

        private int _requestedW;
        private int _pendingRaw;
        private int _writtenRaw;
        private bool _ratesWritten;
        private bool _readbackMismatch;
        private bool _writeRejected;
        private long _lastRateWriteMs;

        private bool _storageValid;
        private int _maxW;
        private int _rateSf;
        private int _modeRead;

        private bool _measurementsValid;
        private int _powerW;
        private int _voltageMv;
        private int _currentMa;
        private bool _wroteLast;
        private long _importWh = -1;
        private long _exportWh = -1;
        private int _faults;

        private int _failures;
        private bool _commFault;
        private bool _everAnswered;

        /// <summary>Creates the driver; nothing is sent before the first <see cref="Poll"/>.</summary>
        public SunSpecConverter(ModbusMaster master, SunSpecConverterOptions options)
        {
            if (master == null || options == null)
            {
                throw new ArgumentNullException(nameof(master));
            }

            if (options.RefreshPeriodMs >= options.RevertSeconds * 1000 || options.FailuresForFault < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(options));
            }

            _master = master;
            _tx = new ModbusTransaction(SunSpecMap.HeaderLength + CommonModel.Length);
            _unit = options.UnitId;
            _cyclePeriodMs = options.CyclePeriodMs;
            _refreshPeriodMs = options.RefreshPeriodMs;
            _revertSeconds = options.RevertSeconds;
            _rampSeconds = options.RampSeconds;
            _failuresForFault = options.FailuresForFault;
            _rediscoverDelayMs = options.RediscoverDelayMs;
            Restart(0);
        }

        /// <summary>See the phase constants.</summary>
        public int Phase { get; private set; }

        /// <summary>Model 1 Mn, read once per discovery; null until read.</summary>
        public string? Manufacturer { get; private set; }

        /// <summary>Model 1 Md; null until read.</summary>
        public string? ModelName { get; private set; }

        /// <summary>Model 1 SN; null until read.</summary>
        public string? SerialNumber { get; private set; }

        /// <summary>Model 124 ChaSt (see StorageModel.ChargeStatus*), or -1 when not implemented or not read.</summary>
        public int ChargeStatus { get; private set; } = -1;

        /// <summary>Model 124 InBatV in mV, or -1.</summary>
        public int BatteryVoltageMv { get; private set; } = -1;

        /// <summary>The setpoint as last written, in W after clamping and rounding to the rate resolution.</summary>
        public int CommandedW { get; private set; }

        /// <summary>The exception code of the last rejected write, 0 when the last write was taken.</summary>
        public int LastWriteException { get; private set; }

        /// <summary>The model-discovery state, for diagnostics.</summary>
        public SunSpecDiscovery Discovery
        {
            get { return _discovery; }
        }

        /// <summary>A readable phase name for logs.</summary>
        public static string PhaseName(int phase)
        {
            switch (phase)
            {
                case PhaseDiscovering: return "discovering";
                case PhaseReadingCommon: return "reading common model";
                case PhaseRunning: return "running";
                case PhaseUnsupported: return "unsupported map";
                default: return "unknown";
            }
        }

        /// <inheritdoc />
        public void SetSetpoint(int watts)
        {
            _requestedW = watts;
        }

        /// <inheritdoc />
        public bool Read(ConverterReading reading)
        {
            reading.PowerW = _powerW;
            reading.VoltageMv = _voltageMv;
            reading.CurrentMa = _currentMa;
            reading.ImportWh = _importWh;
            reading.ExportWh = _exportWh;
            reading.MaxChargeW = _maxW;
            reading.MaxDischargeW = _maxW;
            reading.Faults = _commFault ? _faults | ConverterFaults.Communication : _faults;
            reading.Ready = Phase == PhaseRunning && !_commFault && _faults == 0 && _storageValid
                && _measurementsValid && _maxW > 0 && _ratesWritten && !_writeRejected && _modeRead == BothLimits;
            return _everAnswered && !_commFault;
        }

        /// <summary>
        /// Advances the schedule: polls the master, takes a finished transaction, starts the next.
        /// Call every control tick; never blocks, allocates nothing in steady state.
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
                int request = _request;
                _request = RequestNone;
                Take(request, nowMs);
                _tx.Clear();
            }

            StartNext(nowMs);
        }

        /// <summary>
        /// The InWRte register value for <paramref name="watts"/>: percent of <paramref name="maxW"/>
        /// scaled by 10^-<paramref name="rateSf"/>, clamped to +-100 %, rounded half away from zero.
        /// </summary>
        public static int RateRaw(int watts, int maxW, int rateSf)
        {
            if (maxW <= 0)
            {
                return 0;
            }

            long w = watts > maxW ? maxW : (watts < -maxW ? -maxW : watts);
            long numerator = w * 100;
            long denominator = maxW;
            if (rateSf < 0)
            {
                numerator *= SunSpecValue.PowerOfTen(-rateSf);
            }
            else
            {
                denominator *= SunSpecValue.PowerOfTen(rateSf);
            }

            long half = denominator / 2;
            long raw = numerator >= 0 ? (numerator + half) / denominator : -((-numerator + half) / denominator);
            return raw > short.MaxValue ? short.MaxValue : (raw < -short.MaxValue ? -short.MaxValue : (int)raw);
        }

        /// <summary>The W a rate register value stands for (inverse of <see cref="RateRaw"/>).</summary>
        public static int RateWatts(int raw, int maxW, int rateSf)
        {
            return (int)SunSpecValue.Scale((long)raw * maxW, rateSf - 2);
        }

        /// <summary>
        /// <see cref="ConverterFaults"/> bits for a model 714 port status and alarm bitfield
        /// (<see cref="SunSpecValue.Missing"/> when not implemented).
        /// </summary>
        public static int FaultsFrom(int portStatus, long alarms)
        {
            int faults = 0;
            if (alarms != SunSpecValue.Missing && alarms != 0)
            {
                const long known = DcMeasurementModel.AlarmOverCurrent | DcMeasurementModel.AlarmOverVoltage
                    | DcMeasurementModel.AlarmUnderVoltage | DcMeasurementModel.AlarmOverTemperature;
                if ((alarms & DcMeasurementModel.AlarmOverCurrent) != 0)
                {
                    faults |= ConverterFaults.OverCurrent;
                }

                if ((alarms & (DcMeasurementModel.AlarmOverVoltage | DcMeasurementModel.AlarmUnderVoltage)) != 0)
                {
                    faults |= ConverterFaults.Voltage;
                }

                if ((alarms & DcMeasurementModel.AlarmOverTemperature) != 0)
                {
                    faults |= ConverterFaults.OverTemperature;
                }

                if ((alarms & ~known) != 0)
                {
                    faults |= ConverterFaults.Internal;
                }
            }

            if (portStatus == DcMeasurementModel.StatusError && faults == 0)
            {
                faults = ConverterFaults.Internal;
            }

            return faults;
        }

        private void Take(int request, long nowMs)
        {
            if (_tx.Answered)
            {
                _failures = 0;
                _commFault = false;
                _everAnswered = true;
            }
            else
            {
                _failures++;
                if (_failures >= _failuresForFault && !_commFault)
                {
                    _commFault = true;
                    if (request != RequestDiscovery)
                    {
                        Restart(nowMs);
                        return;
                    }
                }
            }

            bool readRefused = _tx.Error == ModbusError.Exception
                && (request == RequestMeasurements || request == RequestStorage);
            if (readRefused)
            {
                // The map no longer holds the model where discovery found it.
                Restart(nowMs);
                return;
            }

            switch (request)
            {
                case RequestDiscovery:
                    TakeDiscovery(nowMs);
                    break;
                case RequestCommon:
                    TakeCommon(nowMs);
                    break;
                case RequestMeasurements:
                    if (_tx.Status == ModbusStatus.Done)
                    {
                        TakeMeasurements(nowMs);
                    }

                    break;
                case RequestStorage:
                    if (_tx.Status == ModbusStatus.Done)
                    {
                        TakeStorage(nowMs);
                    }

                    break;
                case RequestRates:
                    TakeWrite(true, nowMs);
                    break;
                case RequestMode:
                    TakeWrite(false, nowMs);
                    break;
            }
        }

        private void TakeDiscovery(long nowMs)
        {
            _discovery.Accept(_tx);
            switch (_discovery.Result)
            {
                case SunSpecDiscovery.Found:
                    UseMap(nowMs);
                    break;
                case SunSpecDiscovery.NotFound:
                    Phase = PhaseUnsupported;
                    _nextAttemptMs = nowMs + _rediscoverDelayMs;
                    break;
                case SunSpecDiscovery.NoAnswer:
                    _discovery.Restart();
                    _nextAttemptMs = nowMs + _cyclePeriodMs;
                    break;
            }
        }

        private void UseMap(long nowMs)
        {
            _storageAddress = _discovery.AddressOf(StorageModel.Id);
            _dcAddress = _discovery.AddressOf(DcMeasurementModel.Id);
            int storageLength = _discovery.LengthOf(StorageModel.Id);
            int dcLength = _discovery.LengthOf(DcMeasurementModel.Id);
            if (_storageAddress < 0 || _dcAddress < 0 || storageLength < StorageModel.Length
                || dcLength < DcMeasurementModel.FixedLength)
            {
                Phase = PhaseUnsupported;
                _nextAttemptMs = nowMs + _rediscoverDelayMs;
                return;
            }

            _dcCount = SunSpecMap.HeaderLength + dcLength;
            if (_dcCount > DcMeasurementModel.ReadLength)
            {
                _dcCount = DcMeasurementModel.ReadLength;
            }

            _commonAddress = _discovery.AddressOf(CommonModel.Id);
            _commonCount = SunSpecMap.HeaderLength + _discovery.LengthOf(CommonModel.Id);
            if (_commonCount > SunSpecMap.HeaderLength + CommonModel.Length)
            {
                _commonCount = SunSpecMap.HeaderLength + CommonModel.Length;
            }

            Phase = _commonAddress >= 0 && _commonCount >= SunSpecMap.HeaderLength + CommonModel.DeviceAddress
                ? PhaseReadingCommon
                : PhaseRunning;
            _nextAttemptMs = nowMs;
        }

        private void TakeCommon(long nowMs)
        {
            if (_tx.Status == ModbusStatus.Done)
            {
                ushort[] r = _tx.Registers;
                Manufacturer = SunSpecValue.String(r, CommonModel.Manufacturer, CommonModel.LongStringRegisters);
                ModelName = SunSpecValue.String(r, CommonModel.Model, CommonModel.LongStringRegisters);
                SerialNumber = SunSpecValue.String(r, CommonModel.SerialNumber, CommonModel.LongStringRegisters);
                Phase = PhaseRunning;
            }
            else if (_tx.Answered)
            {
                Phase = PhaseRunning;
            }
            else
            {
                _nextAttemptMs = nowMs + _cyclePeriodMs;
            }
        }

        private void TakeMeasurements(long nowMs)
        {
            ushort[] r = _tx.Registers;
            if (r[0] != DcMeasurementModel.Id)
            {
                Restart(nowMs);
                return;
            }

            long powerSf = SunSpecValue.ScaleFactor(r[DcMeasurementModel.PowerSf]);
            long currentSf = SunSpecValue.ScaleFactor(r[DcMeasurementModel.CurrentSf]);
            long energySf = SunSpecValue.ScaleFactor(r[DcMeasurementModel.EnergySf]);
            _powerW = -(int)OrZero(SunSpecValue.Scale(SunSpecValue.SignedInt16(r[DcMeasurementModel.Power]), powerSf));
            _currentMa = -(int)OrZero(SunSpecValue.Scale(SunSpecValue.SignedInt16(r[DcMeasurementModel.Current]), currentSf + 3));
            _importWh = OrMinusOne(SunSpecValue.Scale(SunSpecValue.UInt64(r, DcMeasurementModel.EnergyAbsorbed), energySf));
            _exportWh = OrMinusOne(SunSpecValue.Scale(SunSpecValue.UInt64(r, DcMeasurementModel.EnergyInjected), energySf));

            int portStatus = -1;
            long alarms = SunSpecValue.Missing;
            _voltageMv = 0;
            if (_dcCount == DcMeasurementModel.ReadLength && r[DcMeasurementModel.PortCount] >= 1)
            {
                const int port = DcMeasurementModel.FirstPort;
                long voltageSf = SunSpecValue.ScaleFactor(r[DcMeasurementModel.VoltageSf]);
                _voltageMv = (int)OrZero(SunSpecValue.Scale(SunSpecValue.UInt16(r[port + DcMeasurementModel.PortVoltage]), voltageSf + 3));
                portStatus = r[port + DcMeasurementModel.PortStatus];
                alarms = SunSpecValue.UInt32(r, port + DcMeasurementModel.PortAlarm);
            }

            _faults = FaultsFrom(portStatus, alarms);
            long portsAlarmed = SunSpecValue.UInt32(r, DcMeasurementModel.PortAlarms);
            if (_faults == 0 && portsAlarmed != SunSpecValue.Missing && portsAlarmed != 0)
            {
                // An alarm on a port this driver does not read still means the converter is not healthy.
                _faults = ConverterFaults.Internal;
            }

            _measurementsValid = true;
        }

        private void TakeStorage(long nowMs)
        {
            ushort[] r = _tx.Registers;
            if (r[0] != StorageModel.Id)
            {
                Restart(nowMs);
                return;
            }

            long maxW = SunSpecValue.Scale(SunSpecValue.UInt16(r[StorageModel.WChaMax]), SunSpecValue.ScaleFactor(r[StorageModel.WChaMaxSf]));
            _maxW = maxW == SunSpecValue.Missing || maxW <= 0 || maxW > int.MaxValue ? 0 : (int)maxW;
            long rateSf = SunSpecValue.ScaleFactor(r[StorageModel.InOutWRteSf]);
            _rateSf = rateSf == SunSpecValue.Missing ? 0 : (int)rateSf;
            _modeRead = r[StorageModel.StorCtlMod];
            _readbackMismatch = _ratesWritten
                && (SunSpecValue.Int16(r[StorageModel.InWRte]) != _writtenRaw || SunSpecValue.Int16(r[StorageModel.OutWRte]) != -_writtenRaw);

            long status = SunSpecValue.UInt16(r[StorageModel.ChaSt]);
            ChargeStatus = status == SunSpecValue.Missing ? -1 : (int)status;
            long volts = SunSpecValue.Scale(SunSpecValue.UInt16(r[StorageModel.InBatV]), SunSpecValue.ScaleFactor(r[StorageModel.InBatVSf]) + 3);
            BatteryVoltageMv = volts == SunSpecValue.Missing || volts > int.MaxValue ? -1 : (int)volts;
            _storageValid = true;
        }

        private void TakeWrite(bool rates, long nowMs)
        {
            if (_tx.Status == ModbusStatus.Done)
            {
                _writeRejected = false;
                LastWriteException = 0;
                if (rates)
                {
                    _ratesWritten = true;
                    _writtenRaw = _pendingRaw;
                    _readbackMismatch = false;
                    CommandedW = RateWatts(_pendingRaw, _maxW, _rateSf);
                }
                else
                {
                    _modeRead = BothLimits;
                }
            }
            else if (_tx.Error == ModbusError.Exception)
            {
                _writeRejected = true;
                LastWriteException = _tx.ExceptionCode;
            }

            if (rates)
            {
                _lastRateWriteMs = nowMs;
            }
        }

        private void StartNext(long nowMs)
        {
            switch (Phase)
            {
                case PhaseUnsupported:
                    if (nowMs >= _nextAttemptMs)
                    {
                        Restart(nowMs);
                        StartNext(nowMs);
                    }

                    return;
                case PhaseDiscovering:
                    if (nowMs >= _nextAttemptMs)
                    {
                        _discovery.Prepare(_tx, _unit);
                        Begin(RequestDiscovery);
                    }

                    return;
                case PhaseReadingCommon:
                    if (nowMs >= _nextAttemptMs)
                    {
                        _tx.ReadHoldingRegisters(_unit, _commonAddress, _commonCount);
                        Begin(RequestCommon);
                    }

                    return;
            }

            // A setpoint that moves every tick (a ramp) would keep the bus writing and the energy counters
            // unread for seconds, so the ledger would close a session on a stale count: a due measurement
            // goes before the next write once a write just went.
            bool measureDue = nowMs >= _nextMeasureMs;
            bool writeFirst = !(measureDue && _wroteLast);
            _wroteLast = false;
            if (writeFirst && _storageValid && StartWrite(nowMs))
            {
                _wroteLast = true;
                return;
            }

            if (measureDue)
            {
                _nextMeasureMs = nowMs + _cyclePeriodMs;
                _tx.ReadHoldingRegisters(_unit, _dcAddress, _dcCount);
                Begin(RequestMeasurements);
            }
            else if (nowMs >= _nextStorageMs)
            {
                _nextStorageMs = nowMs + _cyclePeriodMs;
                _tx.ReadHoldingRegisters(_unit, _storageAddress, StorageReadLength);
                Begin(RequestStorage);
            }
        }

        private bool StartWrite(long nowMs)
        {
            bool refreshDue = nowMs - _lastRateWriteMs >= _refreshPeriodMs;
            if (_writeRejected && !refreshDue)
            {
                return false;
            }

            int raw = RateRaw(_requestedW, _maxW, _rateSf);
            if (!_ratesWritten || raw != _writtenRaw || _readbackMismatch || refreshDue)
            {
                _pendingRaw = raw;
                ushort[] v = _tx.Registers;
                v[StorageModel.OutWRte - StorageModel.OutWRte] = (ushort)(-raw);
                v[StorageModel.InWRte - StorageModel.OutWRte] = (ushort)raw;
                v[StorageModel.InOutWRteWinTms - StorageModel.OutWRte] = 0;
                v[StorageModel.InOutWRteRvrtTms - StorageModel.OutWRte] = (ushort)_revertSeconds;
                v[StorageModel.InOutWRteRmpTms - StorageModel.OutWRte] = (ushort)_rampSeconds;
                _tx.WriteMultipleRegisters(_unit, _storageAddress + StorageModel.OutWRte, RateRegisters);
                Begin(RequestRates);
                return true;
            }

            if (_modeRead != BothLimits)
            {
                _tx.WriteSingleRegister(_unit, _storageAddress + StorageModel.StorCtlMod, BothLimits);
                Begin(RequestMode);
                return true;
            }

            return false;
        }

        private void Begin(int request)
        {
            if (_master.Begin(_tx))
            {
                _request = request;
            }
        }

        private void Restart(long nowMs)
        {
            Phase = PhaseDiscovering;
            _discovery.Restart();
            _nextAttemptMs = nowMs;
            _storageValid = false;
            _measurementsValid = false;
            _ratesWritten = false;
            _readbackMismatch = false;
            _writeRejected = false;
            _modeRead = 0;
            _nextMeasureMs = nowMs;
            _nextStorageMs = nowMs;
        }

        private static long OrZero(long value)
        {
            return value == SunSpecValue.Missing ? 0 : value;
        }

        private static long OrMinusOne(long value)
        {
            return value == SunSpecValue.Missing ? -1 : value;
        }
    }
}
