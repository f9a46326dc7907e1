using ChargerFirmware.Drivers;
using ChargerFirmware.Drivers.Converter;
using ChargerFirmware.Drivers.Modbus;
using ChargerFirmware.Drivers.SunSpec;

namespace ChargerFirmware.VirtualHardware;

/// <summary>
/// A <see cref="VirtualConverter"/> behind a SunSpec register map: the "SunS" marker at the base
/// address, model 1, any extra models (zero-filled, to be walked past), model 124, model 714 with
/// one EV port, and the end marker. Status and measurement points mirror the converter on every
/// request; writes to the model 124 controls go through to it (read-only points answer exception
/// 2, out-of-range values exception 3).
/// </summary>
public sealed class SunSpecSlave : ModbusSlave
{
    /// <summary>Scale factor of current and voltage points (0.1 A, 0.1 V).</summary>
    public const int DeciScaleFactor = -1;

    private readonly VirtualConverter _converter;
    private readonly IClock _clock;

    /// <summary>
    /// Lays the map out at <paramref name="baseAddress"/>; <paramref name="extraModels"/> (ID, L)
    /// go between model 1 and model 124; either needed model can be left out to test a device
    /// the driver cannot use.
    /// </summary>
    public SunSpecSlave(
        VirtualConverter converter,
        IClock clock,
        int unitId = 1,
        int baseAddress = 40000,
        IReadOnlyList<(int Id, int Length)>? extraModels = null,
        bool withStorageModel = true,
        bool withDcModel = true)
        : base(unitId, baseAddress, MapSize(extraModels, withStorageModel, withDcModel))
    {
        _converter = converter;
        _clock = clock;
        int at = 0;
        Put(ref at, SunSpecMap.MarkerHigh);
        Put(ref at, SunSpecMap.MarkerLow);
        CommonAt = baseAddress + at;
        at = LayOutCommon(at);
        foreach ((int id, int length) in extraModels ?? [])
        {
            Put(ref at, id);
            Put(ref at, length);
            at += length;
        }

        StorageAt = withStorageModel ? baseAddress + at : -1;
        if (withStorageModel)
        {
            at = LayOutStorage(at);
        }

        DcAt = withDcModel ? baseAddress + at : -1;
        if (withDcModel)
        {
            at = LayOutDc(at);
        }

        Put(ref at, SunSpecMap.EndId);
        Put(ref at, 0);
    }

    /// <summary>Address of model 1's ID register.</summary>
    public int CommonAt { get; }

    /// <summary>Address of model 124's ID register, or -1.</summary>
    public int StorageAt { get; }

    /// <summary>Address of model 714's ID register, or -1.</summary>
    public int DcAt { get; }

    /// <summary>When true every write answers exception 4, as a converter held in local control does.</summary>
    public bool RejectWrites { get; set; }

    /// <summary>Writes that reached the model 124 rates (InWRte, OutWRte or InOutWRte_RvrtTms).</summary>
    public int RateWrites { get; private set; }

    /// <summary>The register at <paramref name="address"/> as a test sees it (after a refresh).</summary>
    public ushort Register(int address)
    {
        Refresh();
        return Bank[address - FirstAddress];
    }

    /// <inheritdoc />
    protected override bool Answering => !_converter.CommunicationLost;

    /// <inheritdoc />
    protected override void Refresh()
    {
        _converter.Update(_clock.MonotonicMs);
        if (StorageAt >= 0)
        {
            RefreshStorage(StorageAt - FirstAddress);
        }

        if (DcAt >= 0)
        {
            RefreshDc(DcAt - FirstAddress);
        }
    }

    /// <inheritdoc />
    protected override int Write(int address, ushort[] values, int count)
    {
        if (RejectWrites)
        {
            return ModbusExceptionCode.ServerDeviceFailure;
        }

        if (StorageAt < 0 || address < StorageAt || address + count > StorageAt + SunSpecMap.HeaderLength + StorageModel.Length)
        {
            return ModbusExceptionCode.IllegalDataAddress;
        }

        int first = address - StorageAt;
        for (int i = 0; i < count; i++)
        {
            int code = Validate(first + i, values[i]);
            if (code != 0)
            {
                return code;
            }
        }

        bool rates = false;
        for (int i = 0; i < count; i++)
        {
            rates |= Apply(first + i, values[i]);
        }

        if (rates)
        {
            RateWrites++;
            _converter.RefreshRates(_clock.MonotonicMs);
        }

        Refresh();
        return 0;
    }

    private int Validate(int offset, ushort value)
    {
        int signed = (short)value;
        return offset switch
        {
            StorageModel.WChaMax => value >= 1 && value <= _converter.RatedW ? 0 : ModbusExceptionCode.IllegalDataValue,
            StorageModel.StorCtlMod => value <= 3 ? 0 : ModbusExceptionCode.IllegalDataValue,
            StorageModel.InWRte or StorageModel.OutWRte => Math.Abs(signed) <= VirtualConverter.FullRate ? 0 : ModbusExceptionCode.IllegalDataValue,
            StorageModel.ChaGriSet => value <= 1 ? 0 : ModbusExceptionCode.IllegalDataValue,
            StorageModel.WChaGra or StorageModel.WDisChaGra or StorageModel.VAChaMax or StorageModel.MinRsvPct
                or StorageModel.InOutWRteWinTms or StorageModel.InOutWRteRvrtTms or StorageModel.InOutWRteRmpTms => 0,
            _ => ModbusExceptionCode.IllegalDataAddress,
        };
    }

    private bool Apply(int offset, ushort value)
    {
        Bank[StorageAt - FirstAddress + offset] = value;
        switch (offset)
        {
            case StorageModel.WChaMax:
                _converter.MaxChargeW = value;
                return false;
            case StorageModel.StorCtlMod:
                _converter.StorageControlMode = value;
                return false;
            case StorageModel.InWRte:
                _converter.ChargeRateRaw = (short)value;
                return true;
            case StorageModel.OutWRte:
                _converter.DischargeRateRaw = (short)value;
                return true;
            case StorageModel.InOutWRteRvrtTms:
                _converter.RevertSeconds = value;
                return true;
            case StorageModel.InOutWRteWinTms:
                _converter.WindowSeconds = value;
                return false;
            case StorageModel.InOutWRteRmpTms:
                _converter.RampSeconds = value;
                return false;
            default:
                return false;
        }
    }

    private void RefreshStorage(int at)
    {
        VirtualCar? car = _converter.Car;
        Bank[at + StorageModel.WChaMax] = (ushort)_converter.MaxChargeW;
        Bank[at + StorageModel.StorCtlMod] = (ushort)_converter.StorageControlMode;
        Bank[at + StorageModel.ChaState] = car is null ? (ushort)SunSpecValue.NotImplementedUInt16 : (ushort)car.SocPermille;
        Bank[at + StorageModel.InBatV] = car is null ? (ushort)SunSpecValue.NotImplementedUInt16 : (ushort)(car.BatteryVoltageMv / 100);
        Bank[at + StorageModel.ChaSt] = (ushort)ChargeStatus(car);
        Bank[at + StorageModel.OutWRte] = (ushort)_converter.DischargeRateRaw;
        Bank[at + StorageModel.InWRte] = (ushort)_converter.ChargeRateRaw;
        Bank[at + StorageModel.InOutWRteWinTms] = (ushort)_converter.WindowSeconds;
        Bank[at + StorageModel.InOutWRteRvrtTms] = (ushort)_converter.RevertSeconds;
        Bank[at + StorageModel.InOutWRteRmpTms] = (ushort)_converter.RampSeconds;
    }

    private int ChargeStatus(VirtualCar? car)
    {
        if (car is null || _converter.Faults != 0)
        {
            return StorageModel.ChargeStatusOff;
        }

        if (_converter.PowerW > 0)
        {
            return StorageModel.ChargeStatusCharging;
        }

        if (_converter.PowerW < 0)
        {
            return StorageModel.ChargeStatusDischarging;
        }

        return car.IsFull ? StorageModel.ChargeStatusFull : car.IsEmpty ? StorageModel.ChargeStatusEmpty : StorageModel.ChargeStatusHolding;
    }

    private void RefreshDc(int at)
    {
        VirtualCar? car = _converter.Car;
        int injectedW = -_converter.PowerW;
        int voltageMv = car?.BatteryVoltageMv ?? 0;
        int deciAmps = voltageMv == 0 ? 0 : (int)((long)injectedW * 10_000 / voltageMv);
        int alarm = Alarms(_converter.Faults);
        int port = at + DcMeasurementModel.FirstPort;

        PutUInt32(at + DcMeasurementModel.PortAlarms, alarm != 0 ? 1 : 0);
        Bank[at + DcMeasurementModel.Current] = (ushort)deciAmps;
        Bank[at + DcMeasurementModel.Power] = (ushort)injectedW;
        PutUInt64(at + DcMeasurementModel.EnergyInjected, _converter.ExportWh);
        PutUInt64(at + DcMeasurementModel.EnergyAbsorbed, _converter.ImportWh);
        Bank[port + DcMeasurementModel.PortCurrent] = (ushort)deciAmps;
        Bank[port + DcMeasurementModel.PortVoltage] = (ushort)(voltageMv / 100);
        Bank[port + DcMeasurementModel.PortPower] = (ushort)injectedW;
        PutUInt64(port + DcMeasurementModel.PortEnergyInjected, _converter.ExportWh);
        PutUInt64(port + DcMeasurementModel.PortEnergyAbsorbed, _converter.ImportWh);
        Bank[port + DcMeasurementModel.PortStatus] = (ushort)(_converter.Faults != 0
            ? DcMeasurementModel.StatusError
            : car is null ? DcMeasurementModel.StatusOff : DcMeasurementModel.StatusOn);
        PutUInt32(port + DcMeasurementModel.PortAlarm, alarm);
    }

    private static int Alarms(int faults)
    {
        int alarm = 0;
        if ((faults & ConverterFaults.OverCurrent) != 0)
        {
            alarm |= DcMeasurementModel.AlarmOverCurrent;
        }

        if ((faults & ConverterFaults.Voltage) != 0)
        {
            alarm |= DcMeasurementModel.AlarmOverVoltage;
        }

        if ((faults & ConverterFaults.OverTemperature) != 0)
        {
            alarm |= DcMeasurementModel.AlarmOverTemperature;
        }

        // An internal fault shows as the port in ERROR with no specific alarm bit.
        return alarm;
    }

    private int LayOutCommon(int at)
    {
        Put(ref at, CommonModel.Id);
        Put(ref at, CommonModel.Length);
        int start = at - SunSpecMap.HeaderLength;
        PutString(start + CommonModel.Manufacturer, CommonModel.LongStringRegisters, _converter.Manufacturer);
        PutString(start + CommonModel.Model, CommonModel.LongStringRegisters, _converter.ModelName);
        PutString(start + CommonModel.Version, CommonModel.ShortStringRegisters, "1.0.0");
        PutString(start + CommonModel.SerialNumber, CommonModel.LongStringRegisters, _converter.SerialNumber);
        Bank[start + CommonModel.DeviceAddress] = (ushort)UnitId;
        return start + SunSpecMap.HeaderLength + CommonModel.Length;
    }

    private int LayOutStorage(int at)
    {
        int start = at;
        Put(ref at, StorageModel.Id);
        Put(ref at, StorageModel.Length);
        for (int i = StorageModel.WChaMax; i <= StorageModel.InOutWRteSf; i++)
        {
            Bank[start + i] = (ushort)SunSpecValue.NotImplementedUInt16;
        }

        Bank[start + StorageModel.WChaGra] = 100;
        Bank[start + StorageModel.WDisChaGra] = 100;
        Bank[start + StorageModel.ChaGriSet] = 1;
        Bank[start + StorageModel.WChaMaxSf] = 0;
        Bank[start + StorageModel.WChaDisChaGraSf] = 0;
        Bank[start + StorageModel.VAChaMaxSf] = 0x8000;
        Bank[start + StorageModel.MinRsvPctSf] = 0x8000;
        Bank[start + StorageModel.ChaStateSf] = unchecked((ushort)DeciScaleFactor);
        Bank[start + StorageModel.StorAvalSf] = 0x8000;
        Bank[start + StorageModel.InBatVSf] = unchecked((ushort)DeciScaleFactor);
        Bank[start + StorageModel.InOutWRteSf] = unchecked((ushort)VirtualConverter.RateScaleFactor);
        return start + SunSpecMap.HeaderLength + StorageModel.Length;
    }

    private int LayOutDc(int at)
    {
        int start = at;
        Put(ref at, DcMeasurementModel.Id);
        Put(ref at, DcMeasurementModel.FixedLength + DcMeasurementModel.PortLength);
        PutUInt32(start + DcMeasurementModel.PortAlarms, 0);
        Bank[start + DcMeasurementModel.PortCount] = 1;
        Bank[start + DcMeasurementModel.CurrentSf] = unchecked((ushort)DeciScaleFactor);
        Bank[start + DcMeasurementModel.VoltageSf] = unchecked((ushort)DeciScaleFactor);
        Bank[start + DcMeasurementModel.PowerSf] = 0;
        Bank[start + DcMeasurementModel.EnergySf] = 0;
        Bank[start + DcMeasurementModel.TemperatureSf] = 0;
        int port = start + DcMeasurementModel.FirstPort;
        Bank[port + DcMeasurementModel.PortType] = DcMeasurementModel.PortTypeEv;
        Bank[port + DcMeasurementModel.PortId] = 1;
        PutString(port + DcMeasurementModel.PortIdString, 8, "EV1");
        Bank[port + DcMeasurementModel.PortTemperature] = 25;
        return start + SunSpecMap.HeaderLength + DcMeasurementModel.FixedLength + DcMeasurementModel.PortLength;
    }

    private static int MapSize(IReadOnlyList<(int Id, int Length)>? extraModels, bool withStorage, bool withDc)
    {
        int size = SunSpecMap.MarkerLength + SunSpecMap.HeaderLength + CommonModel.Length + SunSpecMap.HeaderLength;
        foreach ((int _, int length) in extraModels ?? [])
        {
            size += SunSpecMap.HeaderLength + length;
        }

        size += withStorage ? SunSpecMap.HeaderLength + StorageModel.Length : 0;
        size += withDc ? SunSpecMap.HeaderLength + DcMeasurementModel.FixedLength + DcMeasurementModel.PortLength : 0;
        return size;
    }

    private void Put(ref int at, int value) => Bank[at++] = (ushort)value;

    private void PutString(int at, int registers, string text)
    {
        for (int i = 0; i < registers * 2 && i < text.Length; i++)
        {
            int register = at + (i / 2);
            Bank[register] = (ushort)(i % 2 == 0 ? text[i] << 8 : Bank[register] | text[i]);
        }
    }
}
