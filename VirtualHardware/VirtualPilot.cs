using ChargerFirmware.Drivers.Pilot;

namespace ChargerFirmware.VirtualHardware;

/// <summary>
/// The pilot line with a simulated car on it. The EVSE drives ±12 V through its PWM; the car's
/// resistor pulls the positive half down to 9 / 6 / 3 V (B / C / D) and its diode keeps the
/// negative half at -12 V. Without the diode the car's resistor loads the negative half as well,
/// so it mirrors the positive one. Faults: ADC failure, short to earth, a raw override, noise.
/// </summary>
public sealed class VirtualPilot : IPilotSampler, IPilotPwm
{
    /// <summary>The EVSE's pilot supply, in mV.</summary>
    public const int SupplyMv = 12_000;

    private readonly Random _noise;
    private int _carState = PilotState.A;
    private bool _overridden;
    private int _overrideHighMv;
    private int _overrideLowMv;

    /// <summary>A pilot with no car (state A), steady +12 V, noise from a seeded generator.</summary>
    public VirtualPilot(int noiseSeed = 1)
    {
        _noise = new Random(noiseSeed);
    }

    /// <summary>The car's resistor state: <see cref="PilotState.A"/> (no car), B, C or D.</summary>
    public int CarState
    {
        get => _carState;
        set
        {
            if (value is < PilotState.A or > PilotState.D)
            {
                throw new ArgumentOutOfRangeException(nameof(value), "a car presents A, B, C or D");
            }

            _carState = value;
        }
    }

    /// <summary>True when the car has its diode (a real car always does).</summary>
    public bool DiodePresent { get; set; } = true;

    /// <summary>The duty the EVSE set last, per-mille; starts at <see cref="DutyCycle.Steady"/>.</summary>
    public int DutyPermille { get; private set; } = DutyCycle.Steady;

    /// <summary>What the car reads from the duty: the current it may draw, in mA.</summary>
    public int OfferedCurrentMa => DutyCycle.ToCurrentMa(DutyPermille);

    /// <summary>Injected ADC failure: <see cref="Sample"/> returns false.</summary>
    public bool AdcFailed { get; set; }

    /// <summary>Injected pilot short to earth (state E): both plateaus read 0 V.</summary>
    public bool Shorted { get; set; }

    /// <summary>Each plateau gets uniform noise of up to ± this many mV (not applied to an override).</summary>
    public int NoiseMv { get; set; }

    /// <summary>From now on every sample reads exactly these plateaus, for glitch tests.</summary>
    public void OverrideMv(int highMv, int lowMv)
    {
        _overridden = true;
        _overrideHighMv = highMv;
        _overrideLowMv = lowMv;
    }

    /// <summary>Back to the simulated car.</summary>
    public void ClearOverride() => _overridden = false;

    /// <inheritdoc />
    public void SetDutyPermille(int dutyPermille)
    {
        if (dutyPermille is < 0 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(dutyPermille));
        }

        DutyPermille = dutyPermille;
    }

    /// <inheritdoc />
    public bool Sample(PilotSample sample)
    {
        if (AdcFailed)
        {
            return false;
        }

        if (_overridden)
        {
            sample.HighMv = _overrideHighMv;
            sample.LowMv = _overrideLowMv;
            return true;
        }

        int positiveMv = Shorted ? 0 : CarLevelMv();
        int negativeMv = Shorted ? 0 : DiodePresent || _carState == PilotState.A ? -SupplyMv : -positiveMv;
        (sample.HighMv, sample.LowMv) = DutyPermille switch
        {
            DutyCycle.Steady => (positiveMv, positiveMv),
            DutyCycle.StateF => (negativeMv, negativeMv),
            _ => (positiveMv, negativeMv),
        };
        sample.HighMv += Noise();
        sample.LowMv += Noise();
        return true;
    }

    private int CarLevelMv() => _carState switch
    {
        PilotState.B => 9_000,
        PilotState.C => 6_000,
        PilotState.D => 3_000,
        _ => SupplyMv,
    };

    private int Noise() => NoiseMv == 0 ? 0 : _noise.Next(-NoiseMv, NoiseMv + 1);
}
