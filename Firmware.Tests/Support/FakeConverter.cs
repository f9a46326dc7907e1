using ChargerFirmware.Drivers.Converter;

namespace ChargerFirmware.Tests.Support;

/// <summary>A converter that follows its setpoint at once (measured power = setpoint) and counts energy exactly.</summary>
public sealed class FakeConverter : IConverter
{
    private long _importWms;
    private long _exportWms;

    public bool Answers { get; set; } = true;
    public bool Ready { get; set; } = true;
    public int Faults { get; set; }

    /// <summary>Why it cannot be driven (a ConverterProblems code), with its detail.</summary>
    public int Problem { get; set; }
    public int ProblemDetail { get; set; }
    public int MaxChargeW { get; set; } = 7400;
    public int MaxDischargeW { get; set; } = 7400;
    public int SetpointW { get; private set; }
    public int SetpointWrites { get; private set; }

    /// <summary>When false, the measured power stays at the last value (a converter slow to ramp down).</summary>
    public bool FollowsSetpoint { get; set; } = true;

    public int PowerW { get; set; }

    public void SetSetpoint(int watts)
    {
        SetpointW = watts;
        SetpointWrites++;
        if (FollowsSetpoint)
        {
            PowerW = watts;
        }
    }

    /// <summary>Moves energy for <paramref name="ms"/> at the measured power.</summary>
    public void Run(long ms)
    {
        if (PowerW > 0)
        {
            _importWms += PowerW * ms;
        }
        else
        {
            _exportWms -= PowerW * ms;
        }
    }

    public bool Read(ConverterReading reading)
    {
        if (!Answers)
        {
            return false;
        }

        reading.Ready = Ready;
        reading.PowerW = PowerW;
        reading.VoltageMv = 230_000;
        reading.CurrentMa = (int)(PowerW * 1000L / 230);
        reading.ImportWh = _importWms / 3_600_000;
        reading.ExportWh = _exportWms / 3_600_000;
        reading.MaxChargeW = MaxChargeW;
        reading.MaxDischargeW = MaxDischargeW;
        reading.Faults = Faults;
        reading.Problem = Problem;
        reading.ProblemDetail = ProblemDetail;
        return true;
    }
}
