using ChargerFirmware.Drivers;
using ChargerFirmware.Drivers.Modbus;
using ChargerFirmware.Drivers.Modem;

namespace ChargerFirmware.VirtualHardware;

/// <summary>
/// The ISO 15118 companion module answering the map in Drivers/Modem/REGISTERS.md from a plugged
/// <see cref="VirtualCar"/>: link up when the car speaks over the power line, SLAC matched
/// <see cref="MatchDelayMs"/> after plugging, vehicle data refreshed every
/// <see cref="VehicleUpdatePeriodMs"/> (ages count from the last refresh; freeze it to test
/// stale data). The extended EVCCID block holds ids longer than 8 bytes. Read-only: every write
/// answers exception 2.
/// </summary>
public sealed class VirtualModemModule : ModbusSlave
{
    private readonly IClock _clock;
    private long _pluggedAtMs;
    private bool _matched;
    private long _vehicleReadAtMs;
    private int _soc;
    private int _capacityWh;
    private int _maxChargeW;
    private int _maxDischargeW;

    /// <summary>Creates the module at <paramref name="unitId"/>.</summary>
    public VirtualModemModule(IClock clock, int unitId = ModemRegisters.DefaultUnitId)
        : base(unitId, ModemRegisters.MapId, ModemRegisters.ExtendedIdBlock + ModemRegisters.ExtendedBlockLength)
    {
        _clock = clock;
        Bank[ModemRegisters.MapId] = ModemRegisters.MapIdValue;
        Bank[ModemRegisters.MapVersion] = ModemRegisters.MapVersionValue;
    }

    /// <summary>The car on the cable, or null.</summary>
    public VirtualCar? Car { get; private set; }

    /// <summary>Time from plugging to a SLAC match.</summary>
    public int MatchDelayMs { get; set; } = 2000;

    /// <summary>How often the module hears from the vehicle.</summary>
    public int VehicleUpdatePeriodMs { get; set; } = 1000;

    /// <summary>When true the vehicle data stop being refreshed (their ages grow).</summary>
    public bool FreezeVehicleData { get; set; }

    /// <summary>When true the module does not answer on the bus.</summary>
    public bool CommunicationLost { get; set; }

    /// <summary>SLAC matches since creation.</summary>
    public int MatchCount { get; private set; }

    /// <summary>Plugs <paramref name="car"/> in now.</summary>
    public void Plug(VirtualCar car)
    {
        Car = car;
        _pluggedAtMs = _clock.MonotonicMs;
        _matched = false;
    }

    /// <summary>Unplugs the car.</summary>
    public void Unplug()
    {
        Car = null;
        _matched = false;
    }

    /// <inheritdoc />
    protected override bool Answering => !CommunicationLost;

    /// <inheritdoc />
    protected override void Refresh()
    {
        long now = _clock.MonotonicMs;
        VirtualCar? car = Car;
        bool link = car is not null && car.HasPowerLineLink;
        if (link && !_matched && now - _pluggedAtMs >= MatchDelayMs)
        {
            _matched = true;
            MatchCount++;
            Sample(car!, now);
        }

        if (_matched && !FreezeVehicleData && now - _vehicleReadAtMs >= VehicleUpdatePeriodMs)
        {
            Sample(car!, now);
        }

        Bank[ModemRegisters.Status] = (ushort)((link ? ModemRegisters.StatusLinkUp : 0) | (_matched ? ModemRegisters.StatusMatched : 0));
        Bank[ModemRegisters.SlacState] = (ushort)(!link ? ModemRegisters.SlacIdle : _matched ? ModemRegisters.SlacMatched : ModemRegisters.SlacMatching);
        Bank[ModemRegisters.MatchCount] = (ushort)MatchCount;
        int idLength = _matched ? Math.Min(car!.EvccId.Length, ModemRegisters.EvccIdMaxLength) : 0;
        Bank[ModemRegisters.EvccIdLength] = (ushort)idLength;
        Bank[ModemRegisters.ExtendedMatchCount] = (ushort)MatchCount;
        Bank[ModemRegisters.ExtendedIdLength] = (ushort)idLength;
        PutId(ModemRegisters.EvccId, ModemRegisters.EvccIdRegisters, idLength);
        PutId(ModemRegisters.ExtendedId, ModemRegisters.EvccIdMaxLength / 2, idLength);

        uint age = _matched ? (uint)Math.Min(now - _vehicleReadAtMs, uint.MaxValue - 1) : uint.MaxValue;
        Bank[ModemRegisters.SocPermille] = (ushort)(_matched ? _soc : ModemRegisters.UnknownUInt16);
        PutUInt32(ModemRegisters.SocAgeMs, age);
        PutUInt32(ModemRegisters.CapacityWh, _matched ? (uint)_capacityWh : 0);
        PutUInt32(ModemRegisters.MaxChargeW, _matched ? (uint)_maxChargeW : 0);
        PutUInt32(ModemRegisters.MaxDischargeW, _matched ? (uint)_maxDischargeW : 0);
        PutUInt32(ModemRegisters.LimitsAgeMs, age);
    }

    /// <inheritdoc />
    protected override int Write(int address, ushort[] values, int count) => ModbusExceptionCode.IllegalDataAddress;

    // The id's bytes, first in the high half, into a block of <paramref name="registers"/> (cut to fit, rest 0).
    private void PutId(int first, int registers, int length)
    {
        Array.Clear(Bank, first, registers);
        for (int i = 0; i < length && i < registers * 2; i++)
        {
            Bank[first + (i / 2)] |= (ushort)(i % 2 == 0 ? Car!.EvccId[i] << 8 : Car!.EvccId[i]);
        }
    }

    private void Sample(VirtualCar car, long now)
    {
        _vehicleReadAtMs = now;
        _soc = car.SocPermille;
        _capacityWh = car.CapacityWh;
        _maxChargeW = car.MaxChargeW;
        _maxDischargeW = car.MaxDischargeW;
    }
}
