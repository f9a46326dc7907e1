using System.Diagnostics;
using ChargerFirmware.Drivers.Converter;

namespace ChargerFirmware.Bench.Rig;

/// <summary>
/// A converter that follows its setpoint at once (measured power = setpoint), counts energy, and
/// stamps when its setpoint last changed so the latency bench sees the moment a dispatch is applied.
/// Allocation-free, so it adds nothing to a tick's allocation figure.
/// </summary>
public sealed class InstantConverter : IConverter
{
    private long _importWms;
    private long _exportWms;
    private int _setpointW;
    private long _changedAt;

    public int MaxChargeW { get; set; } = 7400;

    public int MaxDischargeW { get; set; } = 7400;

    /// <summary>The setpoint last commanded, W (any thread).</summary>
    public int SetpointW => Volatile.Read(ref _setpointW);

    /// <summary>Stopwatch timestamp of the last setpoint change (any thread).</summary>
    public long SetpointChangedAt => Volatile.Read(ref _changedAt);

    /// <summary>Called on the control thread after each setpoint change, with the new setpoint.</summary>
    public Action<int>? SetpointChanged { get; set; }

    public void SetSetpoint(int watts)
    {
        Volatile.Write(ref _changedAt, Stopwatch.GetTimestamp());
        Volatile.Write(ref _setpointW, watts);
        SetpointChanged?.Invoke(watts);
    }

    /// <summary>Moves energy for <paramref name="ms"/> at the measured power.</summary>
    public void Run(long ms)
    {
        int power = _setpointW;
        if (power > 0)
        {
            _importWms += power * ms;
        }
        else
        {
            _exportWms -= power * ms;
        }
    }

    public bool Read(ConverterReading reading)
    {
        int power = _setpointW;
        reading.Ready = true;
        reading.PowerW = power;
        reading.VoltageMv = 230_000;
        reading.CurrentMa = (int)(power * 1000L / 230);
        reading.ImportWh = _importWms / 3_600_000;
        reading.ExportWh = _exportWms / 3_600_000;
        reading.MaxChargeW = MaxChargeW;
        reading.MaxDischargeW = MaxDischargeW;
        reading.Faults = 0;
        return true;
    }
}
