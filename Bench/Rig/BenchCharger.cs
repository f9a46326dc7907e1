using ChargerFirmware.Control;
using ChargerFirmware.Panel;
using ChargerFirmware.Protocol.Messages;
using ChargerFirmware.Session;
using ChargerFirmware.VirtualHardware;
using DriverPilot = ChargerFirmware.Drivers.Pilot.PilotState;

namespace ChargerFirmware.Bench.Rig;

/// <summary>
/// The real charging core and session policy (the portable object graph the device runs) composed
/// over <see cref="BenchParts"/>, the way the test suite's rig does it. On a manual clock it is
/// stepped tick by tick; on a real clock its loop runs on its own thread or a scheduler's.
/// </summary>
public sealed class BenchCharger
{
    private long _seq;

    public BenchCharger(BenchParts parts, Action<ChargerConfig>? configure = null)
    {
        Parts = parts;
        configure?.Invoke(Config);
        Hardware = new ChargerHardware
        {
            Clock = parts.Clock,
            PilotSampler = parts.Pilot,
            PilotPwm = parts.Pilot,
            Contactor = parts.Contactor,
            Rcd = parts.Rcd,
            Converter = parts.Converter,
            Modem = parts.Modem,
            Temperature = parts.Temperature,
            Proximity = parts.Proximity,
            Entropy = parts.Entropy,
            Storage = parts.Storage,
        };
        Policy = new SessionPolicy(Config, parts.Storage, parts.Entropy, Outbox);
        Charger = new Charger(Config, Hardware, Policy, Inbox, Outbox);
        Loop = new ControlLoop(Charger, parts.Clock, Config.TickMs);
    }

    public BenchParts Parts { get; }

    public ChargerConfig Config { get; } = new();

    public ChargerHardware Hardware { get; }

    public EventQueue Inbox { get; } = new(32);

    public EventQueue Outbox { get; } = new(64);

    public SessionPolicy Policy { get; }

    public Charger Charger { get; }

    public ControlLoop Loop { get; }

    /// <summary>One control tick on the manual clock: time moves a tick, energy flows, the loop runs once.</summary>
    public void Step()
    {
        Parts.Manual!.Advance(Config.TickMs);
        Parts.Converter.Run(Config.TickMs);
        Loop.RunOnce();
    }

    /// <summary>Ticks on a manual clock, or waits on a real one, until <paramref name="condition"/> holds.</summary>
    public void RunUntil(Func<bool> condition, int limitMs = 20_000)
    {
        long start = Parts.Clock.MonotonicMs;
        while (!condition())
        {
            if (Parts.Clock.MonotonicMs - start > limitMs)
            {
                throw new TimeoutException($"{Config.ChargerId}: condition not met within {limitMs} ms");
            }

            if (Parts.Manual is null)
            {
                Thread.Sleep(1);
            }
            else
            {
                Step();
            }
        }
    }

    /// <summary>
    /// A car plugs in (pilot B), the driver answers on the panel, the car asks for power (pilot C) and
    /// the contactor closes. With consent the car's power-line link is matched (a fresh SOC of 80 %)
    /// and prices that meet the balanced preset are in force, so the aggregator may dispatch.
    /// </summary>
    public void PlugIn(bool allow) => PlugIn([this], allow);

    /// <summary>
    /// <see cref="PlugIn(bool)"/> for many chargers at once, step by step across all of them (their
    /// loops run elsewhere on a real clock, or each is stepped on its own manual clock while waited for).
    /// </summary>
    public static void PlugIn(IReadOnlyList<BenchCharger> chargers, bool allow)
    {
        foreach (BenchCharger c in chargers)
        {
            c.Parts.Modem.Matched = allow;
            c.Parts.Pilot.CarState = DriverPilot.B;
        }

        WaitAll(chargers, c => c.Policy.AwaitingConsent);
        foreach (BenchCharger c in chargers)
        {
            c.Inbox.Post(ControlEventKind.PanelTap, allow ? PanelButtons.Allow : PanelButtons.Deny, 0, null, null);
        }

        WaitAll(chargers, c => !c.Policy.AwaitingConsent);
        foreach (BenchCharger c in chargers)
        {
            c.Parts.Pilot.CarState = DriverPilot.C;
        }

        WaitAll(chargers, c => c.Charger.ContactorCommand);
        if (!allow)
        {
            return;
        }

        foreach (BenchCharger c in chargers)
        {
            long utc = c.Parts.Clock.UtcMs;
            var prices = new PricesMessage
            {
                ValidFromMs = utc - 60_000,
                ValidToMs = utc + (400L * 86_400_000),
                BuyPriceMilli = 12_000,
                SellPriceMilli = 30_000,
                Currency = c.Config.Currency,
            };
            c.Inbox.Post(ControlEventKind.Prices, 0, 0, null, prices);
        }
    }

    private static void WaitAll(IReadOnlyList<BenchCharger> chargers, Func<BenchCharger, bool> condition)
    {
        foreach (BenchCharger c in chargers)
        {
            c.RunUntil(() => condition(c));
        }
    }

    /// <summary>The car leaves: pilot A, the session ends and the contactor opens.</summary>
    public void Unplug()
    {
        Parts.Pilot.CarState = DriverPilot.A;
        Parts.Modem.Matched = false;
        RunUntil(() => !Charger.ContactorCommand && Charger.State == ChargerState.Idle);
    }

    /// <summary>A dispatch for this charger, numbered after the previous one and any the flash remembers (built off the control path).</summary>
    public DispatchMessage NewDispatch(int setpointW, int durationS = 3600)
    {
        long seq = _seq = Math.Max(_seq, Policy.Dispatch.HighestSeq) + 1;
        return new DispatchMessage
        {
            Id = "d" + seq.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Seq = seq,
            IssuedAtMs = Parts.Clock.UtcMs,
            DurationS = durationS,
            SetpointW = setpointW,
            HasRampWps = true,
            RampWps = Limits.MaxRampWps,
        };
    }

    /// <summary>Hands <paramref name="dispatch"/> to the control loop as the link would after decoding it.</summary>
    public void Post(DispatchMessage dispatch) => Inbox.Post(ControlEventKind.Dispatch, 0, 0, null, dispatch);

    /// <summary>Takes every notice the core posted (as the link would); returns how many.</summary>
    public int DrainOutbox(ControlEvent scratch)
    {
        int n = 0;
        while (Outbox.TryTake(scratch))
        {
            n++;
        }

        return n;
    }
}
