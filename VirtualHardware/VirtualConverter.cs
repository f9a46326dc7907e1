using ChargerFirmware.Drivers.Converter;
using ChargerFirmware.Drivers.SunSpec;

namespace ChargerFirmware.VirtualHardware;

/// <summary>
/// The physics of a bidirectional DC converter between the grid and a <see cref="VirtualCar"/>,
/// controlled the SunSpec model 124 way. It regulates its car-side power (+ into the car) to the
/// window the storage controls open (see <see cref="StorageModel"/>): the charge limit
/// <see cref="ChargeRateRaw"/> when <see cref="StorageControlMode"/> bit 0 is set, the discharge
/// limit <see cref="DischargeRateRaw"/> when bit 1 is set, both in 0.01 % of
/// <see cref="MaxChargeW"/>; inside the window it prefers zero. It ramps at
/// <see cref="RampWattsPerSecond"/>, loses <see cref="EfficiencyPermille"/> between grid and car,
/// counts energy exactly (W·ms, no drift) on both sides, trips to zero on an injected fault, and
/// reverts the rates to zero when they are not refreshed within <see cref="RevertSeconds"/>.
/// </summary>
public sealed class VirtualConverter
{
    /// <summary>Scale factor of the rate registers (0.01 %).</summary>
    public const int RateScaleFactor = -2;

    /// <summary>Rate register value for 100 %.</summary>
    public const int FullRate = 10_000;

    private const long WmsPerWh = 3_600_000;

    private long _lastUpdateMs;
    private long _lastRefreshMs;
    private long _rampedMw;
    private long _importWms;
    private long _exportWms;
    private long _gridImportScaled;
    private long _gridExportScaled;

    /// <summary>Creates a converter of <paramref name="ratedW"/> in both directions.</summary>
    public VirtualConverter(int ratedW = 7400, int efficiencyPermille = 940, int rampWattsPerSecond = 10_000)
    {
        if (ratedW <= 0 || efficiencyPermille is <= 0 or > 1000 || rampWattsPerSecond < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ratedW));
        }

        RatedW = ratedW;
        MaxChargeW = ratedW;
        EfficiencyPermille = efficiencyPermille;
        RampWattsPerSecond = rampWattsPerSecond;
    }

    /// <summary>Nameplate power in W, both directions.</summary>
    public int RatedW { get; }

    /// <summary>Grid-to-car (and car-to-grid) efficiency in per-mille.</summary>
    public int EfficiencyPermille { get; }

    /// <summary>How fast the power follows a new target; 0 jumps at once.</summary>
    public int RampWattsPerSecond { get; set; }

    /// <summary>The car on the cable, or null.</summary>
    public VirtualCar? Car { get; set; }

    /// <summary>Model 1 strings.</summary>
    public string Manufacturer { get; set; } = "Virtual Power";

    /// <summary>Model 1 model name.</summary>
    public string ModelName { get; set; } = "VBC-7400";

    /// <summary>Model 1 serial number.</summary>
    public string SerialNumber { get; set; } = "VC-000001";

    /// <summary>WChaMax in W: the 100 % reference of both rates (at most <see cref="RatedW"/>).</summary>
    public int MaxChargeW { get; set; }

    /// <summary>StorCtl_Mod: bit 0 charge limit active, bit 1 discharge limit active.</summary>
    public int StorageControlMode { get; set; }

    /// <summary>InWRte in 0.01 % of <see cref="MaxChargeW"/> (signed).</summary>
    public int ChargeRateRaw { get; set; }

    /// <summary>OutWRte in 0.01 % of <see cref="MaxChargeW"/> (signed).</summary>
    public int DischargeRateRaw { get; set; }

    /// <summary>InOutWRte_RvrtTms: 0 never reverts.</summary>
    public int RevertSeconds { get; set; }

    /// <summary>InOutWRte_WinTms (stored, not acted on).</summary>
    public int WindowSeconds { get; set; }

    /// <summary>InOutWRte_RmpTms (stored, not acted on: the ramp is <see cref="RampWattsPerSecond"/>).</summary>
    public int RampSeconds { get; set; }

    /// <summary>Times the rates reverted for want of a refresh.</summary>
    public int Reverts { get; private set; }

    /// <summary>Injected faults, <see cref="ConverterFaults"/> bits (not Communication: see <see cref="CommunicationLost"/>).</summary>
    public int Faults { get; private set; }

    /// <summary>When true the converter stops answering on the bus (it keeps running, and reverts by itself).</summary>
    public bool CommunicationLost { get; set; }

    /// <summary>The power the window asks for now, in W.</summary>
    public int TargetW { get; private set; }

    /// <summary>Car-side power now, in W (+ into the car).</summary>
    public int PowerW { get; private set; }

    /// <summary>Grid-side power now, in W (+ drawn from the grid).</summary>
    public int GridPowerW => PowerW >= 0
        ? (int)((long)PowerW * 1000 / EfficiencyPermille)
        : (int)((long)PowerW * EfficiencyPermille / 1000);

    /// <summary>Energy put into cars (car side), in whole Wh (model 714 DCWhAbs).</summary>
    public long ImportWh => _importWms / WmsPerWh;

    /// <summary>Energy taken out of cars (car side), in whole Wh (model 714 DCWhInj).</summary>
    public long ExportWh => _exportWms / WmsPerWh;

    /// <summary>Energy drawn from the grid, in whole Wh.</summary>
    public long GridImportWh => _gridImportScaled / EfficiencyPermille / WmsPerWh;

    /// <summary>Energy fed into the grid, in whole Wh.</summary>
    public long GridExportWh => _gridExportScaled / 1000 / WmsPerWh;

    /// <summary>Energy put into cars, exactly, in W·ms.</summary>
    public long ImportWms => _importWms;

    /// <summary>Energy taken out of cars, exactly, in W·ms.</summary>
    public long ExportWms => _exportWms;

    /// <summary>Sets fault bits (<see cref="ConverterFaults"/>): the converter trips to zero at once.</summary>
    public void InjectFault(int faults)
    {
        Faults |= faults & ~ConverterFaults.Communication;
        _rampedMw = 0;
        PowerW = 0;
        TargetW = 0;
    }

    /// <summary>Clears injected faults.</summary>
    public void ClearFaults() => Faults = 0;

    /// <summary>Called when a write touched the rates or their revert time: restarts the revert timer.</summary>
    public void RefreshRates(long nowMs)
    {
        Update(nowMs);
        _lastRefreshMs = nowMs;
    }

    /// <summary>Runs the physics up to <paramref name="nowMs"/>; safe to call often and lazily.</summary>
    public void Update(long nowMs)
    {
        if (nowMs <= _lastUpdateMs)
        {
            return;
        }

        long revertAt = RevertSeconds > 0 && (ChargeRateRaw != 0 || DischargeRateRaw != 0)
            ? _lastRefreshMs + (RevertSeconds * 1000L)
            : long.MaxValue;
        if (revertAt > _lastUpdateMs && revertAt <= nowMs)
        {
            Integrate(revertAt - _lastUpdateMs);
            _lastUpdateMs = revertAt;
            ChargeRateRaw = 0;
            DischargeRateRaw = 0;
            Reverts++;
        }
        else if (revertAt <= _lastUpdateMs)
        {
            ChargeRateRaw = 0;
            DischargeRateRaw = 0;
            Reverts++;
        }

        Integrate(nowMs - _lastUpdateMs);
        _lastUpdateMs = nowMs;
    }

    private void Integrate(long ms)
    {
        TargetW = ComputeTarget();
        long targetMw = TargetW * 1000L;
        while (ms > 0 && _rampedMw != targetMw)
        {
            long step = RampWattsPerSecond == 0 ? long.MaxValue : RampWattsPerSecond;
            _rampedMw = _rampedMw < targetMw ? Math.Min(targetMw, _rampedMw + step) : Math.Max(targetMw, _rampedMw - step);
            Move(1);
            ms--;
        }

        if (ms > 0)
        {
            Move(ms);
        }
    }

    private void Move(long ms)
    {
        VirtualCar? car = Car;
        if (car is null)
        {
            PowerW = 0;
            return;
        }

        int actual = car.AcceptablePower((int)(_rampedMw / 1000));
        long moved = car.Flow(actual, ms);
        if (moved > 0)
        {
            _importWms += moved;
            _gridImportScaled += moved * 1000;
        }
        else if (moved < 0)
        {
            _exportWms -= moved;
            _gridExportScaled -= moved * EfficiencyPermille;
        }

        PowerW = car.AcceptablePower(actual);
    }

    private int ComputeTarget()
    {
        if (Faults != 0)
        {
            return 0;
        }

        long max = Math.Min(MaxChargeW, RatedW);
        long high = (StorageControlMode & StorageModel.ModeCharge) != 0 ? max * ChargeRateRaw / FullRate : max;
        long low = (StorageControlMode & StorageModel.ModeDischarge) != 0 ? -max * DischargeRateRaw / FullRate : -max;
        high = Math.Clamp(high, -max, max);
        low = Math.Clamp(low, -max, max);
        if (low > high)
        {
            return 0;
        }

        return (int)Math.Clamp(0, low, high);
    }
}
