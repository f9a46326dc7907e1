using System.Collections.Concurrent;
using ChargerFirmware.App;
using ChargerFirmware.Config;
using ChargerFirmware.Control;
using ChargerFirmware.Drivers.Converter;
using ChargerFirmware.Drivers.Modbus;
using ChargerFirmware.Drivers.Modem;
using ChargerFirmware.Drivers.Pilot;
using ChargerFirmware.Drivers.SunSpec;
using ChargerFirmware.Events;
using ChargerFirmware.Panel;
using ChargerFirmware.Session;
using ChargerFirmware.Simulator.Time;
using ChargerFirmware.Status;
using ChargerFirmware.VirtualHardware;
using ChargerFirmware.VirtualHardware.Mqtt;
using ChargerFirmware.VirtualHardware.Panel;

namespace ChargerFirmware.Simulator.Hardware;

/// <summary>
/// One virtual charger: the real firmware composed exactly as on the device (<see cref="ChargerApp"/>)
/// over simulated hardware. The converter is a <see cref="VirtualConverter"/> behind a SunSpec
/// register map and the ISO 15118 modem a <see cref="VirtualModemModule"/>, both on one virtual
/// RS-485 bus driven by the real Modbus master, SunSpec converter and modem drivers. The pilot
/// follows the plugged car (B on plug-in, C while it wants power and a PWM is offered, back to B
/// when full). With a panel, the driver's screens run as on the device (the real
/// <see cref="DriverPanel"/> and rasterizer, polled every 50 ms of simulated time) on a
/// <see cref="VirtualTextPanel"/>. The control loop and the panel are stepped by the scheduler
/// thread that owns this charger, the link by the link pump (over MQTTnet), the console runs on its
/// own thread once attached (<see cref="SimulatedConsole"/>); other threads hand work over with
/// <see cref="Post"/> and read through <see cref="CopyStatus"/> / <see cref="CopyPanel"/>.
/// </summary>
public sealed class SimulatedCharger
{
    private const int AmbientDeciC = 250;
    private const int HotDeciC = 720;

    private readonly ConcurrentQueue<Action<SimulatedCharger>> _work = new();
    private readonly VirtualConverter _converter;
    private readonly VirtualModemModule _modem;
    private readonly SunSpecConverter _converterDriver;
    private readonly byte[] _evccId;
    private readonly PanelWorker? _panelWorker;
    private long _nextPanelPollMs;
    private bool _overTemperature;
    private int _plugCount;
    private int _shownPanelKey = -1;

    /// <summary>Builds the charger <paramref name="id"/> with its flash in <paramref name="dataFolder"/>; nothing runs until <see cref="Step"/>.</summary>
    public SimulatedCharger(string id, long utcStartMs, string dataFolder, int seed, Action<ChargerConfig>? configure = null, bool withPanel = true)
    {
        Id = id;
        Seed = seed;
        Clock = new SimClock(utcStartMs);
        Directory.CreateDirectory(dataFolder);
        Storage = new FolderStorage(dataFolder);
        Pilot = new VirtualPilot(seed) { NoiseMv = 50 };
        Bus = new VirtualBus(Clock, seed: seed);
        _converter = new VirtualConverter { SerialNumber = "VC-" + id };
        var slave = new SunSpecSlave(_converter, Clock);
        _modem = new VirtualModemModule(Clock);
        Bus.Attach(slave);
        Bus.Attach(_modem);
        // The bus and its drivers read these timing objects, which the configuration takes over
        // (modbus-*, *-poll-ms), so stored and changed settings reach them.
        var fieldBus = new ModbusTiming();
        var converterBus = new SunSpecConverterOptions();
        var modemBus = new ModemModuleOptions();
        var master = new ModbusMaster(Bus.MasterPort, Bus.BaudRate, fieldBus);
        _converterDriver = new SunSpecConverter(master, converterBus);
        ModemDriver = new ModemModule(master, modemBus);
        var random = new Random(seed);
        _evccId = [0x02, 0x00, 0x5E, (byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)];

        var hardware = new ChargerHardware
        {
            Clock = Clock,
            PilotSampler = Pilot,
            PilotPwm = Pilot,
            Contactor = Contactor,
            Rcd = Rcd,
            Converter = _converterDriver,
            Modem = ModemDriver,
            Temperature = Temperature,
            Proximity = new VirtualProximity(),
            Entropy = new HostEntropy(),
            Storage = Storage,
            ServiceButton = ServiceButton,
            Polled = [_converterDriver, ModemDriver],
            FieldBus = fieldBus,
            ConverterBus = converterBus,
            ModemBus = modemBus,
        };
        Screen = withPanel ? new VirtualTextPanel() : null;

        // Settings a technician stored survive a restart; the id and the broker come from the command line.
        App = new ChargerApp(hardware, Transport, ConsoleLine, new VirtualSystemControl(), Screen, new ConfigOverride(c =>
        {
            c.ChargerId = id;
            configure?.Invoke(c);
        }));
        _panelWorker = App.Panel;
        if (_panelWorker is not null)
        {
            Panel = _panelWorker.Panel;
            Screen!.Shown += _ => Volatile.Write(ref _shownPanelKey, (Panel.Page * 1_000_000) + Panel.Facts.Major);
        }
    }

    /// <summary>
    /// The page and what decides it (not live readings) of the last frame shown, as one number that
    /// changes with either (any thread); -1 before the first frame or without a panel.
    /// </summary>
    public int ShownPanelKey => Volatile.Read(ref _shownPanelKey);

    /// <summary>The driver's screens (scheduler thread), or null for a charger without a panel (fleet).</summary>
    public DriverPanel? Panel { get; }

    /// <summary>The panel the screens are drawn on, or null.</summary>
    public VirtualTextPanel? Screen { get; }

    /// <summary>How long the panel keeps a receipt and idle pages (the interactive run scales them with the speed).</summary>
    public PanelOptions PanelOptions => App.PanelOptions;

    /// <summary>The charger id (also its MQTT client id and topic level).</summary>
    public string Id { get; }

    /// <summary>The seed of its random parts (pilot noise, bus, modem id).</summary>
    public int Seed { get; }

    /// <summary>Its simulated clock.</summary>
    public SimClock Clock { get; }

    /// <summary>The whole charger as the device composes it.</summary>
    public ChargerApp App { get; }

    /// <summary>Its configuration.</summary>
    public ChargerConfig Config => App.Config;

    /// <summary>Its stored settings.</summary>
    public ConfigStore ConfigStore => App.ConfigStore;

    /// <summary>The MQTT client its link uses.</summary>
    public MqttNetTransport Transport { get; } = new();

    /// <summary>The service button inside the enclosure (read at start only when the PIN state is damaged).</summary>
    public VirtualServiceButton ServiceButton { get; } = new();

    /// <summary>The console's serial line: idle until a <see cref="SimulatedConsole"/> attaches to it.</summary>
    public SwitchableConsoleLine ConsoleLine { get; } = new();

    /// <summary>Its flash.</summary>
    public FolderStorage Storage { get; }

    /// <summary>Messages into the control loop (from the link, the panel, the console).</summary>
    public EventQueue Inbox => App.Inbox;

    /// <summary>The session policy (consent, dispatch, ledger, panel text).</summary>
    public SessionPolicy Policy => App.Policy;

    /// <summary>The safety core.</summary>
    public Charger Core => App.Charger;

    /// <summary>The pilot line with the car's resistor on it.</summary>
    public VirtualPilot Pilot { get; }

    /// <summary>The main contactor.</summary>
    public VirtualContactor Contactor { get; } = new();

    /// <summary>The residual current monitor.</summary>
    public VirtualRcd Rcd { get; } = new();

    /// <summary>The inside temperature sensor.</summary>
    public VirtualTemperature Temperature { get; } = new();

    /// <summary>The RS-485 bus to the converter and the modem.</summary>
    public VirtualBus Bus { get; }

    /// <summary>The real modem driver (vehicle SOC over the power line).</summary>
    public ModemModule ModemDriver { get; }

    /// <summary>The real SunSpec converter driver (what the firmware reads).</summary>
    public SunSpecConverter ConverterDriver => _converterDriver;

    /// <summary>The converter's physics (energy counters, power).</summary>
    public VirtualConverter Converter => _converter;

    /// <summary>The plugged car, or null.</summary>
    public VirtualCar? Car { get; private set; }

    /// <summary>The link to the aggregator (stepped by the link pump, not by the control loop's thread), or null.</summary>
    public IChargerLink? Link { get; set; }

    /// <summary>Runs after every tick on the scheduler thread (scripts that act on simulated time).</summary>
    public Action<SimulatedCharger>? AfterStep { get; set; }

    /// <summary>Simulated monotonic ms.</summary>
    public long NowMs => Clock.MonotonicMs;

    /// <summary>Control ticks run.</summary>
    public long Ticks => App.Loop.Ticks;

    /// <summary>Copies the core's latest status (any thread).</summary>
    public void CopyStatus(ChargerStatus into) => Core.CopyStatus(into);

    /// <summary>Copies the panel's text rows (any thread); returns their version (-1 without a panel).</summary>
    public int CopyPanel(string[] into) => Screen?.CopyLines(into) ?? -1;

    /// <summary>Hands <paramref name="work"/> to the scheduler thread; it runs before the next tick.</summary>
    public void Post(Action<SimulatedCharger> work) => _work.Enqueue(work);

    /// <summary>One control tick: time moves, the physics follow, the pilot follows the car, the firmware ticks.</summary>
    public void Step()
    {
        while (_work.TryDequeue(out Action<SimulatedCharger>? work))
        {
            work(this);
        }

        Clock.Advance(Config.TickMs);
        long now = Clock.MonotonicMs;
        _converter.Update(now);
        FollowCar();
        Temperature.DeciCelsius = _overTemperature ? HotDeciC : AmbientDeciC + (Math.Abs(_converter.PowerW) / 740);
        App.Loop.RunOnce();
        if (_panelWorker is not null && now >= _nextPanelPollMs)
        {
            _nextPanelPollMs = now + PanelWorker.PeriodMs;
            _panelWorker.Poll();
        }

        AfterStep?.Invoke(this);
    }

    /// <summary>Plugs a car built from <paramref name="spec"/> in (scheduler thread).</summary>
    public VirtualCar Plug(CarSpec spec)
    {
        if (Car is not null)
        {
            Unplug();
        }

        // A numbered car keeps its id across plug-ins (bit 7 of byte 4 apart from the passers-by's).
        byte[] evcc = (byte[])_evccId.Clone();
        if (spec.Car > 0)
        {
            evcc[4] ^= 0x80;
            evcc[5] = (byte)(evcc[5] + spec.Car);
        }
        else
        {
            evcc[5] = (byte)(evcc[5] + ++_plugCount);
        }

        Car = spec.Build(evcc);
        _converter.Update(Clock.MonotonicMs);
        _converter.Car = Car;
        _modem.Plug(Car);
        Pilot.CarState = PilotState.B;
        return Car;
    }

    /// <summary>Unplugs the car (scheduler thread): the pilot goes to A.</summary>
    public void Unplug()
    {
        _converter.Update(Clock.MonotonicMs);
        _converter.Car = null;
        _modem.Unplug();
        Car = null;
        Pilot.CarState = PilotState.A;
    }

    /// <summary>Posts a panel decision (a <see cref="PanelButtons"/> constant) straight into the control loop, for runs without a screen (any thread).</summary>
    public void Tap(int button) => Inbox.Post(ControlEventKind.PanelTap, button, 0, null, null);

    /// <summary>A finger on the panel at pixel (<paramref name="x"/>, <paramref name="y"/>) (any thread); false without a panel.</summary>
    public bool Touch(int x, int y)
    {
        if (Screen is null)
        {
            return false;
        }

        Screen.Touch(x, y);
        return true;
    }

    /// <summary>
    /// The centre pixel of button <paramref name="key"/> (a <see cref="PanelKeys"/> constant) on the
    /// screen shown now (scheduler thread); false when it is not on screen.
    /// </summary>
    public bool FindKey(int key, out int x, out int y)
    {
        x = -1;
        y = -1;
        if (Panel is null || Screen is null || !Panel.Frame.FindButton(key, out int row, out int column))
        {
            return false;
        }

        x = Screen.Grid.LeftPx + (column * Screen.Grid.CellWidthPx) + (Screen.Grid.CellWidthPx / 2);
        y = Screen.Grid.RowTopPx(row) + (Screen.Grid.CellHeightPx / 2);
        return true;
    }

    /// <summary>Touches button <paramref name="key"/> where it is on screen now (scheduler thread); false when it is not shown.</summary>
    public bool TouchKey(int key) => FindKey(key, out int x, out int y) && Touch(x, y);

    /// <summary>Injects (<paramref name="on"/>) or clears a hardware fault (scheduler thread).</summary>
    public void SetFault(InjectedFault fault, bool on)
    {
        switch (fault)
        {
            case InjectedFault.Rcd:
                Rcd.ResidualCurrent = on;
                break;
            case InjectedFault.Diode:
                Pilot.DiodePresent = !on;
                break;
            case InjectedFault.Weld:
                Contactor.Welded = on;
                break;
            case InjectedFault.OverTemperature:
                _overTemperature = on;
                break;
            case InjectedFault.Converter:
                if (on)
                {
                    _converter.InjectFault(ConverterFaults.Internal);
                }
                else
                {
                    _converter.ClearFaults();
                }

                break;
            case InjectedFault.PilotShort:
                Pilot.Shorted = on;
                break;
        }
    }

    // The car's side of the pilot: B when plugged, C while it wants power and the charger offers a
    // PWM (a current, or 5 % for digital communication), B again when its battery is full.
    private void FollowCar()
    {
        if (Car is null)
        {
            return;
        }

        int duty = Pilot.DutyPermille;
        bool offered = duty != DutyCycle.Steady && duty != DutyCycle.StateF;
        Pilot.CarState = offered && !Car.IsFull ? PilotState.C : PilotState.B;
    }
}
