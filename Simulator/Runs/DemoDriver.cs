using ChargerFirmware.Arbiter;
using ChargerFirmware.Consent;
using ChargerFirmware.Panel;
using ChargerFirmware.Simulator.Hardware;
using ChargerFirmware.Status;

namespace ChargerFirmware.Simulator.Runs;

/// <summary>
/// The demo's driver, acting on simulated time from the charger's own thread (so a run is the same
/// at any speed): plugs the car in once the charger is online, reads the question on the panel and
/// touches Allow with the "balanced" pattern (picking it in the editor first when another is offered),
/// comes back a few minutes after the last discharge ended and unplugs. It also watches what a driver would see
/// (the floor reached, the battery never below it while discharging) for the demo's verdict.
/// </summary>
public sealed class DemoDriver
{
    private const int LookEveryTicks = 25;
    private const long ReadingMs = 6_000;
    private const long ComeBackAfterMs = 10 * 60_000;

    private readonly CarSpec _car;
    private readonly Action<string> _log;
    private readonly ChargerStatus _status = new();
    private long _onlineAtMs = -1;
    private long _promptSinceMs = -1;
    private long _lastDischargeEndMs = -1;
    private bool _discharging;
    private int _ticks;

    /// <summary>A driver with <paramref name="car"/>, telling what it does through <paramref name="log"/>.</summary>
    public DemoDriver(CarSpec car, Action<string> log)
    {
        _car = car;
        _log = log;
    }

    /// <summary>The preset the driver wants.</summary>
    public string Preset { get; init; } = "balanced";

    /// <summary>True: the driver answers on the charger's panel; false: on the phone (the run answers there; the driver only waits).</summary>
    public bool AnswerOnPanel { get; init; } = true;

    /// <summary>True while the charger waits for an answer the driver gives on the phone.</summary>
    public bool WaitingForPhone { get; private set; }

    /// <summary>Where the story is.</summary>
    public string Stage { get; private set; } = "waiting for the charger to come online";

    /// <summary>True once the driver unplugged and the charger showed the session's receipt.</summary>
    public bool Finished { get; private set; }

    /// <summary>True when the driver allowed sharing (on the panel or the phone).</summary>
    public bool Allowed { get; private set; }

    /// <summary>Simulated ms when the charger reached the floor and waited for the aggregator, or -1.</summary>
    public long FloorReachedAtMs { get; private set; } = -1;

    /// <summary>The lowest state of charge (per-mille, the car's own) seen while the aggregator discharged it; 1000 if never.</summary>
    public int LowestSocWhileDischarging { get; private set; } = 1000;

    /// <summary>True once a discharge ordered by the aggregator ran.</summary>
    public bool DischargeSeen { get; private set; }

    /// <summary>The driver's floor for the preset, per-mille.</summary>
    public int FloorPermille { get; private set; }

    /// <summary>Called after every tick of <paramref name="charger"/>.</summary>
    public void AfterStep(SimulatedCharger charger)
    {
        if (Finished || ++_ticks % LookEveryTicks != 0)
        {
            return;
        }

        long now = charger.NowMs;
        charger.CopyStatus(_status);
        if (_onlineAtMs < 0)
        {
            if (charger.Link?.Online == true)
            {
                _onlineAtMs = now;
                Stage = "plugging in";
            }

            return;
        }

        if (charger.Car is null && _lastDischargeEndMs < 0 && now - _onlineAtMs >= 2_000 && !Allowed)
        {
            charger.Plug(_car);
            _log($"driver    | plugs in a {_car.CapacityWh / 1000} kWh car at {_car.SocPermille / 10} %");
            Stage = "waiting for the consent screen";
            return;
        }

        if (charger.Policy.AwaitingConsent)
        {
            if (AnswerOnPanel)
            {
                Answer(charger, now);
            }
            else if (!WaitingForPhone)
            {
                WaitingForPhone = true;
                Stage = "answering on the phone";
            }

            return;
        }

        if (WaitingForPhone && _status.Consent == ConsentStates.Granted)
        {
            WaitingForPhone = false;
            FloorPermille = charger.Policy.Presets.Get(charger.Policy.Presets.IndexOf(Preset)).KeptSocPermille;
            Allowed = true;
            Stage = "charging to the floor";
        }

        Watch(charger, now);
        if (_lastDischargeEndMs >= 0 && now - _lastDischargeEndMs >= ComeBackAfterMs && charger.Car is not null)
        {
            _log($"driver    | comes back and unplugs at {charger.Car.SocPermille / 10.0:0.0} %");
            charger.Unplug();
            Stage = "waiting for the session's receipt";
            return;
        }

        if (charger.Car is null && charger.Policy.LastSummary is not null && _status.State == Protocol.Messages.ChargerState.Idle)
        {
            Finished = true;
            Stage = "done";
        }
    }

    private void Answer(SimulatedCharger charger, long now)
    {
        if (_promptSinceMs < 0)
        {
            _promptSinceMs = now;
            Stage = "reading the consent screen";
            return;
        }

        if (now - _promptSinceMs < ReadingMs)
        {
            return;
        }

        DriverPanel panel = charger.Panel ?? throw new InvalidOperationException("the demo needs the charger's panel");
        string conditions = panel.Frame.RowText(3);
        if (panel.Page == PanelPages.Ask && !conditions.Contains("Conditions: " + Preset, StringComparison.Ordinal))
        {
            _log($"driver    | reads \"{conditions}\": touches [Change] to pick \"{Preset}\"");
            Touch(charger, PanelKeys.Change);
            return;
        }

        if (panel.Page == PanelPages.Limits || panel.Page == PanelPages.Times)
        {
            Touch(charger, PanelKeys.Pattern);
            return;
        }

        if (panel.Page == PanelPages.Pattern)
        {
            Touch(charger, panel.Draft.Name == Preset ? PanelKeys.Done : PanelKeys.PatternNext);
            return;
        }

        if (panel.Page != PanelPages.Ask)
        {
            return;
        }

        string promise = string.Join(" ", Enumerable.Range(6, 4).Select(panel.Frame.RowText)).Trim();
        _log($"driver    | reads \"{conditions}\" and \"{promise}\": touches [Allow]");
        Touch(charger, PanelKeys.Allow);
        FloorPermille = panel.Draft.KeptSocPermille;
        Allowed = true;
        _promptSinceMs = -1;
        Stage = "charging to the floor";
    }

    private static void Touch(SimulatedCharger charger, int key)
    {
        if (!charger.TouchKey(key))
        {
            throw new InvalidOperationException($"the panel shows no button {key} now");
        }
    }

    private void Watch(SimulatedCharger charger, long now)
    {
        if (!Allowed || charger.Car is null || _status.Consent != ConsentStates.Granted)
        {
            return;
        }

        if (FloorReachedAtMs < 0 && _status.Reason == ReasonCodes.AwaitingDispatch && _status.SocPermille >= FloorPermille)
        {
            FloorReachedAtMs = now;
            Stage = "at the floor, waiting for the aggregator";
        }

        bool discharging = _status.DispatchId is not null && _status.SetpointW < 0;
        if (discharging)
        {
            DischargeSeen = true;
            LowestSocWhileDischarging = Math.Min(LowestSocWhileDischarging, charger.Car.SocPermille);
            Stage = "discharging for the aggregator";
        }
        else if (_discharging && _status.DispatchId is null)
        {
            _lastDischargeEndMs = now;
            Stage = "discharge over; the driver is away";
        }

        if (_status.DispatchId is not null && _status.SetpointW > 0)
        {
            Stage = "charging for the aggregator";
        }

        _discharging = discharging || (_discharging && _status.DispatchId is not null);
    }
}
