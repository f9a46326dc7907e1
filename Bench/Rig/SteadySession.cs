using ChargerFirmware.Events;
using ChargerFirmware.Protocol.Messages;
using ChargerFirmware.VirtualHardware;

namespace ChargerFirmware.Bench.Rig;

/// <summary>
/// A bench charger on a manual clock held in one steady state (idle, plain charging, or discharging
/// under a dispatch) for as many ticks as a benchmark asks. Every 4,096 ticks it does what the link
/// would do between ticks: drains the outbox and, before the running dispatch (86,400 s, the most the
/// contract allows) ends, hands over a fresh one built in advance. So the state never drifts and the
/// measured tick is the control tick alone. The ledger's journal file in the virtual flash gets
/// room reserved up front, so MemoryStorage (host-side) does not grow its array inside a measured
/// tick when a quarter-hour ledger record is appended.
/// </summary>
public sealed class SteadySession
{
    private const int MaintainEvery = 4096;
    private const long RenewAfterMs = 80_000_000;

    private readonly ControlEvent _scratch = new();
    private readonly DispatchMessage[] _renewals;
    private int _nextRenewal;
    private long _renewAtMs = long.MaxValue;
    private int _ticks;

    private SteadySession(BenchCharger charger, int renewals)
    {
        Charger = charger;
        _renewals = new DispatchMessage[renewals];
        for (int i = 0; i < renewals; i++)
        {
            _renewals[i] = charger.NewDispatch(DischargeW, 86_400);
        }
    }

    /// <summary>The discharge the aggregator asks for, W.</summary>
    public const int DischargeW = -3_000;

    public BenchCharger Charger { get; }

    /// <summary>The session state (a <see cref="ChargerState"/> constant).</summary>
    public int State => Charger.Charger.State;

    /// <summary>No car: the charger watches its pilot, RCD, converter and modem.</summary>
    public static SteadySession Idle()
    {
        var session = new SteadySession(new BenchCharger(new BenchParts(new ManualClock())), 0);
        session.Settle(ChargerState.Idle);
        return session;
    }

    /// <summary>A car whose driver declined the aggregator: plain charging at the allowed maximum.</summary>
    public static SteadySession Charging()
    {
        var session = new SteadySession(new BenchCharger(new BenchParts(new ManualClock())), 0);
        session.Charger.PlugIn(allow: false);
        session.Settle(ChargerState.Charging);
        return session;
    }

    /// <summary>A consenting driver, prices that meet the preset, and a dispatch to discharge 3 kW.</summary>
    public static SteadySession Discharging()
    {
        var session = new SteadySession(new BenchCharger(new BenchParts(new ManualClock())), 64);
        session.Charger.PlugIn(allow: true);
        session.Renew();
        session.Settle(ChargerState.Discharging);
        return session;
    }

    /// <summary>One control tick (plus, every 4,096 ticks, the link's work between ticks).</summary>
    public void Tick()
    {
        if (++_ticks == MaintainEvery)
        {
            _ticks = 0;
            Maintain();
        }

        Charger.Step();
    }

    private void Maintain()
    {
        Charger.DrainOutbox(_scratch);
        if (Charger.Parts.Clock.MonotonicMs >= _renewAtMs)
        {
            Renew();
        }
    }

    private void Renew()
    {
        Charger.Post(_renewals[_nextRenewal++ % _renewals.Length]);
        _renewAtMs = Charger.Parts.Clock.MonotonicMs + RenewAfterMs;
    }

    // Runs 10 s so ramps, debounces and first-use paths are done, then checks the state is the one wanted.
    private void Settle(int state)
    {
        for (int i = 0; i < 500; i++)
        {
            Tick();
        }

        Charger.DrainOutbox(_scratch);
        ReserveFlashRoom(Charger.Parts.Storage, "ledger.j0", 1 << 20);
        if (State != state)
        {
            throw new InvalidOperationException($"bench session settled in state {State}, expected {state}");
        }
    }

    // MemoryStorage keeps an array's capacity when a file is truncated: append a blob, cut it off again.
    private static void ReserveFlashRoom(MemoryStorage storage, string file, int bytes)
    {
        int length = storage.Length(file);
        storage.Append(file, new byte[bytes], 0, bytes);
        storage.Truncate(file, length);
    }
}
