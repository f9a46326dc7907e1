using ChargerFirmware.Config;
using ChargerFirmware.Control;
using ChargerFirmware.Diagnostics;
using ChargerFirmware.Drivers;
using ChargerFirmware.Drivers.Converter;
using ChargerFirmware.Events;
using ChargerFirmware.Panel;
using ChargerFirmware.Protocol.Messages;
using ChargerFirmware.Session;
using ChargerFirmware.Status;
using ChargerFirmware.TechConsole;
using ChargerFirmware.VirtualHardware;

using PilotState = ChargerFirmware.Drivers.Pilot.PilotState;

namespace ChargerFirmware.Tests.Support;

/// <summary>
/// The real charging core and session policy over virtual parts, stepped tick by tick on a manual
/// clock: every timing rule is checked without sleeping.
/// </summary>
public sealed class ChargerRig
{
    public ManualClock Clock { get; } = new();
    public VirtualPilot Pilot { get; } = new();
    public VirtualContactor Contactor { get; } = new();
    public VirtualRcd Rcd { get; } = new();
    public VirtualTemperature Temperature { get; } = new();
    public VirtualProximity Proximity { get; } = new();
    public FakeConverter Converter { get; } = new();
    public FakeModem Modem { get; } = new();
    public MemoryStorage Storage { get; }
    public ChargerConfig Config { get; } = new();
    public EventQueue Inbox { get; } = new(32);
    public EventQueue Outbox { get; } = new(64);
    public SessionPolicy Policy { get; }
    public VirtualSystemControl System { get; } = new();
    public EventLog Log { get; }
    public ServiceBackend Backend { get; }
    public Charger Charger { get; }
    public ControlLoop Loop { get; }
    public ChargerStatus Status { get; } = new();

    /// <summary>
    /// A rig over the fake converter, or over <paramref name="converter"/> (a real driver) stepped
    /// through <paramref name="polled"/> every tick.
    /// </summary>
    public ChargerRig(Action<ChargerConfig>? configure = null, MemoryStorage? storage = null, IConverter? converter = null, IPolled[]? polled = null)
    {
        Storage = storage ?? new MemoryStorage();
        configure?.Invoke(Config);
        var hardware = new ChargerHardware
        {
            Clock = Clock,
            PilotSampler = Pilot,
            PilotPwm = Pilot,
            Contactor = Contactor,
            Rcd = Rcd,
            Converter = converter ?? Converter,
            Polled = polled ?? [],
            Modem = Modem,
            Temperature = Temperature,
            Proximity = Proximity,
            Entropy = new HostEntropy(),
            Storage = Storage,
        };
        Policy = new SessionPolicy(Config, Storage, hardware.Entropy, Outbox);
        Log = new EventLog(EventLog.DefaultCapacity, Clock);
        Backend = new ServiceBackend(Config, System, Log);
        Charger = new Charger(Config, hardware, Policy, Backend, Inbox, Outbox);
        Loop = new ControlLoop(Charger, Clock, Config.TickMs);
    }

    /// <summary>Runs <paramref name="ticks"/> control ticks, moving time and energy between them.</summary>
    public void Step(int ticks = 1)
    {
        for (int i = 0; i < ticks; i++)
        {
            Clock.Advance(Config.TickMs);
            Converter.Run(Config.TickMs);
            Loop.RunOnce();
        }
    }

    /// <summary>Runs ticks for <paramref name="ms"/> of simulated time.</summary>
    public void RunMs(long ms) => Step((int)(ms / Config.TickMs));

    /// <summary>Runs ticks until <paramref name="condition"/> holds; returns the ms it took, or fails after <paramref name="limitMs"/>.</summary>
    public long RunUntil(Func<bool> condition, long limitMs = 10_000)
    {
        long start = Clock.MonotonicMs;
        while (!condition())
        {
            if (Clock.MonotonicMs - start > limitMs)
            {
                throw new TimeoutException($"condition not met within {limitMs} ms");
            }

            Step();
        }

        return Clock.MonotonicMs - start;
    }

    public int State => Charger.State;

    public ChargerStatus Snapshot()
    {
        Charger.CopyStatus(Status);
        return Status;
    }

    public void Tap(int button) => Inbox.Post(ControlEventKind.PanelTap, button, 0, null, null);

    public void Post(int kind, object? payload) => Inbox.Post(kind, 0, 0, null, payload);

    /// <summary>Plugs a car in (pilot B), lets the driver answer, and lets the car ask for power (pilot C).</summary>
    public void PlugIn(bool allow)
    {
        Pilot.CarState = PilotState.B;
        RunUntil(() => Policy.AwaitingConsent);
        Tap(allow ? PanelButtons.Allow : PanelButtons.Deny);
        Step(2);
        Pilot.CarState = PilotState.C;
        RunUntil(() => Charger.ContactorCommand);
    }

    /// <summary>Gives the arbiter a fresh SOC and prices, so the aggregator may act.</summary>
    public void ReportVehicle(int socPermille) => Modem.Report("EVCC01", socPermille, Clock.MonotonicMs);

    public void SendPrices(long buyMilli, long sellMilli)
    {
        var prices = new PricesMessage
        {
            ValidFromMs = Clock.UtcMs - 60_000,
            ValidToMs = Clock.UtcMs + 86_400_000,
            BuyPriceMilli = buyMilli,
            SellPriceMilli = sellMilli,
            Currency = Config.Currency,
        };
        Post(ControlEventKind.Prices, prices);
    }

    private long _seq;

    public DispatchMessage SendDispatch(int setpointW, int durationS = 3600, string? id = null)
    {
        var dispatch = new DispatchMessage
        {
            Id = id ?? $"d{++_seq}",
            Seq = ++_seq,
            IssuedAtMs = Clock.UtcMs,
            DurationS = durationS,
            SetpointW = setpointW,
        };
        Post(ControlEventKind.Dispatch, dispatch);
        return dispatch;
    }

    /// <summary>Every notice the core posted since the last drain.</summary>
    public List<ControlEvent> DrainOutbox()
    {
        var list = new List<ControlEvent>();
        var e = new ControlEvent();
        while (Outbox.TryTake(e))
        {
            var copy = new ControlEvent();
            copy.CopyFrom(e);
            list.Add(copy);
        }

        return list;
    }
}
