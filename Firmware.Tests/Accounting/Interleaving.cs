using System.Globalization;
using System.Text;
using ChargerFirmware.Drivers.Converter;
using ChargerFirmware.Panel;
using ChargerFirmware.Tests.Support;

namespace ChargerFirmware.Tests.Accounting;

/// <summary>What one step of an interleaving does to the charger or its world.</summary>
public enum Op
{
    /// <summary>Time passes: A ms of control ticks.</summary>
    Run,

    /// <summary>A car plugs in: A Wh capacity, B per-mille state of charge, C W most discharge, D 1 = no power-line link.</summary>
    Plug,

    /// <summary>The car leaves.</summary>
    Unplug,

    /// <summary>The driver taps a panel button (A: a <see cref="PanelButtons"/> constant).</summary>
    Tap,

    /// <summary>The driver answers on the phone: A 1 allow; B 0 the preset on offer, 1 cautious, 2 explicit values (C kept per-mille, D min sell, E max buy, F 1 delegated), 3 a wrong nonce.</summary>
    Phone,

    /// <summary>The aggregator's retained prices: D buy, E sell milli-currency; A 0 valid, 1 already over, 2 valid from later.</summary>
    Prices,

    /// <summary>
    /// A dispatch: A setpoint W, B duration s, C flags (1 buy price D, 2 sell price E, 4 another currency,
    /// 8 starts F s later), G seq mode (0 next, 1 a seq already judged, 2 above 2^53-1, 3 issued an hour ago,
    /// 4 issued an hour ahead).
    /// </summary>
    Dispatch,

    /// <summary>A burst of A dispatches of B W each (fresh seqs), all delivered before the link's next round.</summary>
    Burst,

    /// <summary>A cancel: A 0 the last order sent, 1 an order nobody sent.</summary>
    Cancel,

    /// <summary>The aggregator acks every ledger entry it received.</summary>
    LedgerAck,

    /// <summary>A hardware fault: A 0 residual current, 1 converter, 2 over-temperature; B 1 on, 0 off.</summary>
    Fault,

    /// <summary>The broker goes away (connections refused) until <see cref="LinkUp"/>.</summary>
    LinkDown,

    /// <summary>The broker is back.</summary>
    LinkUp,

    /// <summary>The power fails and comes back.</summary>
    PowerCut,

    /// <summary>A dispatch payload that cannot be decoded (A picks which).</summary>
    Malformed,

    /// <summary>The vehicle's data stop (A 1) or resume (A 0) being refreshed: the state of charge ages.</summary>
    FreezeSoc,
}

/// <summary>One step of an interleaving: an operation and its arguments (fixed when generated, so a sequence replays exactly).</summary>
public sealed record Move(Op Op, int A = 0, int B = 0, int C = 0, int D = 0, int E = 0, int F = 0, int G = 0)
{
    public override string ToString() => Op switch
    {
        Op.Run => $"run {A} ms",
        Op.Plug => $"plug capacity={A}Wh soc={B / 10.0:0.0}% discharge={C}W{(D == 1 ? " plc=no" : "")}",
        Op.Unplug => "unplug",
        Op.Tap => "tap " + PanelButtons.Name(A),
        Op.Phone => $"phone {(A == 1 ? "allow" : "deny")} " + (B switch { 0 => "(preset on offer)", 1 => "cautious", 2 => $"keep={C / 10.0:0.0}% minSell={D / 1000.0} maxBuy={E / 1000.0} delegated={F == 1}", _ => "(wrong nonce)" }),
        Op.Prices => $"prices buy={D / 1000.0} sell={E / 1000.0}{(A == 1 ? " (over)" : A == 2 ? " (from later)" : "")}",
        Op.Dispatch => $"dispatch {A} W {B} s" + ((C & 1) != 0 ? $" buy={D / 1000.0}" : "") + ((C & 2) != 0 ? $" sell={E / 1000.0}" : "")
            + ((C & 4) != 0 ? " currency=EUR" : "") + ((C & 8) != 0 ? $" startAt=+{F}s" : "") + (G switch { 1 => " seq=replayed", 2 => " seq=2^63-1", 3 => " issued 1 h ago", 4 => " issued in 1 h", _ => "" }),
        Op.Burst => $"burst of {A} dispatches of {B} W",
        Op.Cancel => A == 0 ? "cancel the last order" : "cancel an unknown order",
        Op.LedgerAck => "ledger ack",
        Op.Fault => (A switch { 0 => "rcd", 1 => "converter", _ => "overtemp" }) + (B == 1 ? " fault" : " clear"),
        Op.LinkDown => "broker down",
        Op.LinkUp => "broker up",
        Op.PowerCut => "power cut",
        Op.Malformed => "malformed dispatch #" + A,
        Op.FreezeSoc => A == 1 ? "soc frozen" : "soc refreshed",
        _ => Op.ToString(),
    };

    /// <summary>Random interleavings: a world a charger lives in, biased towards situations where money moves.</summary>
    public static List<Move> Generate(int seed)
    {
        var r = new Random(seed);
        var moves = new List<Move>();
        bool plugged = false;
        bool linkDown = false;
        if (r.Next(10) != 0)
        {
            moves.Add(RandomPrices(r, valid: true));
        }

        int count = r.Next(12, 36);
        for (int i = 0; i < count; i++)
        {
            int roll = r.Next(100);
            Move move;
            if (!plugged && roll < 45)
            {
                move = new Move(Op.Plug, Capacity(r), r.Next(100, 951), r.Next(4) == 0 ? 0 : r.Next(1_000, 11_000), r.Next(20) == 0 ? 1 : 0);
                plugged = true;
                moves.Add(move);
                moves.Add(new Move(Op.Run, 2_500 + r.Next(1_500)));
                move = r.Next(3) == 0 ? RandomPhone(r) : new Move(Op.Tap, r.Next(6) == 0 ? PanelButtons.Deny : PanelButtons.Allow);
                if (r.Next(4) == 0)
                {
                    moves.Add(new Move(Op.Tap, PanelButtons.Conditions));
                }
            }
            else if (roll < 24)
            {
                move = RandomDispatch(r);
            }
            else if (roll < 40)
            {
                move = new Move(Op.Run, r.Next(4) switch { 0 => r.Next(20, 200), 1 => r.Next(200, 2_000), 2 => r.Next(2_000, 10_000), _ => r.Next(10_000, 40_000) });
            }
            else if (roll < 44)
            {
                move = new Move(Op.Burst, r.Next(2, 40), r.Next(3) == 0 ? 0 : r.Next(-8_000, 8_000));
            }
            else if (roll < 50)
            {
                move = new Move(Op.Cancel, r.Next(4) == 0 ? 1 : 0);
            }
            else if (roll < 56)
            {
                move = RandomPrices(r, valid: r.Next(5) != 0);
            }
            else if (roll < 61)
            {
                move = new Move(Op.LedgerAck);
            }
            else if (roll < 66)
            {
                move = new Move(Op.Tap, r.Next(4) switch { 0 => PanelButtons.Allow, 1 => PanelButtons.Deny, 2 => PanelButtons.Conditions, _ => PanelButtons.StopSharing });
            }
            else if (roll < 69)
            {
                move = RandomPhone(r);
            }
            else if (roll < 73)
            {
                move = new Move(Op.Fault, r.Next(3), r.Next(2));
            }
            else if (roll < 77)
            {
                move = new Move(linkDown ? Op.LinkUp : Op.LinkDown);
                linkDown = !linkDown;
            }
            else if (roll < 80)
            {
                move = new Move(Op.PowerCut);
            }
            else if (roll < 83)
            {
                move = new Move(Op.Malformed, r.Next(4));
            }
            else if (roll < 86)
            {
                move = new Move(Op.FreezeSoc, r.Next(2));
            }
            else if (plugged && roll < 90)
            {
                move = new Move(Op.Unplug);
                plugged = false;
            }
            else
            {
                move = new Move(Op.Run, r.Next(20, 5_000));
            }

            moves.Add(move);
        }

        return moves;
    }

    private static int Capacity(Random r) => r.Next(4) switch { 0 => r.Next(1_000, 3_000), 1 => r.Next(3_000, 20_000), _ => r.Next(20_000, 80_000) };

    private static Move RandomPrices(Random r, bool valid) =>
        new(Op.Prices, valid ? 0 : r.Next(1, 3), D: r.Next(8) == 0 ? r.Next(100_000, 1_000_000) : r.Next(0, 40_000), E: r.Next(8) == 0 ? r.Next(0, 1_500) : r.Next(5_000, 60_000));

    private static Move RandomPhone(Random r) =>
        new(Op.Phone, r.Next(6) == 0 ? 0 : 1, r.Next(4), r.Next(0, 1_001), r.Next(0, 50_000), r.Next(0, 50_000), r.Next(3) == 0 ? 1 : 0);

    private static Move RandomDispatch(Random r)
    {
        int setpoint = r.Next(6) switch { 0 => 0, 1 => r.Next(-100_000, 100_001), 2 or 3 => -r.Next(500, 9_000), _ => r.Next(500, 9_000) };
        int flags = r.Next(4) | (r.Next(25) == 0 ? 4 : 0) | (r.Next(10) == 0 ? 8 : 0);
        int buy = r.Next(10) == 0 ? r.Next(100_000, 1_000_000) : r.Next(0, 40_000);
        int sell = r.Next(10) == 0 ? r.Next(0, 1_500) : r.Next(5_000, 60_000);
        int mode = r.Next(12) switch { 0 => 1, 1 => 2, 2 => 3, 3 => 4, _ => 0 };
        return new Move(Op.Dispatch, setpoint, r.Next(3) == 0 ? r.Next(1, 20) : r.Next(20, 300), flags, buy, sell, r.Next(1, 60), mode);
    }
}

/// <summary>
/// Plays an interleaving on the whole charger (<see cref="WireCharger"/>) and tells the contract model
/// what the aggregator, the driver and the world did, step by step.
/// </summary>
public sealed class InterleavingRunner
{
    // The least time between one car leaving and the next plugging in.
    private const long ReplugMs = 2_000;

    private readonly WireCharger _c;
    private readonly ContractModel _model;
    private long _unpluggedAtMs = long.MinValue / 2;
    private long _seq;
    private int _orders;
    private int _malformed;

    public InterleavingRunner(int seed, bool validateSchemas)
    {
        _c = new WireCharger(ContractModel.Configure, seed);
        _model = new ContractModel(_c, validateSchemas);
        _c.AfterTick = _model.AfterTick;
    }

    public ContractModel Model => _model;

    public WireCharger Charger => _c;

    /// <summary>Plays <paramref name="moves"/> then lets the world settle (car gone, broker back, every order over); null when every check held, else the first violation and where.</summary>
    public string? Play(IReadOnlyList<Move> moves)
    {
        try
        {
            _c.Run(500);
            for (int i = 0; i < moves.Count; i++)
            {
                Apply(moves[i]);
                string? violation = _model.Check();
                if (violation != null)
                {
                    return $"after move {i} ({moves[i]}): {violation}";
                }
            }

            Settle();
            return _model.CheckEnd();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return "the run threw: " + ex;
        }
    }

    private void Settle()
    {
        Apply(new Move(Op.LinkUp));
        Apply(new Move(Op.Fault, 0, 0));
        Apply(new Move(Op.Fault, 1, 0));
        Apply(new Move(Op.Fault, 2, 0));
        Apply(new Move(Op.Unplug));
        _c.Run(10_000);
        Apply(new Move(Op.LedgerAck));
        _c.Run(1_000);
    }

    private void Apply(Move m)
    {
        switch (m.Op)
        {
            case Op.Run:
                _c.Run(m.A);
                return;
            case Op.Plug:
                if (_c.Car == null)
                {
                    // Another car takes seconds to arrive: a plug within a tick of the unplug would be a contact bounce.
                    long sinceUnplug = _c.NowMs - _unpluggedAtMs;
                    if (sinceUnplug < ReplugMs)
                    {
                        _c.Run(ReplugMs - sinceUnplug);
                    }

                    var car = _c.Plug(m.A, m.B, maxDischargeW: m.C);
                    car.HasPowerLineLink = m.D == 0;
                    _model.Plugged(car);
                }

                break;
            case Op.Unplug:
                if (_c.Car != null)
                {
                    _model.Unplugging();
                    _c.Unplug();
                    _unpluggedAtMs = _c.NowMs;
                }

                break;
            case Op.Tap:
                _model.Tapped(m.A);
                _c.Tap(m.A);
                break;
            case Op.Phone:
                Phone(m);
                break;
            case Op.Prices:
                Prices(m);
                break;
            case Op.Dispatch:
                Dispatch(m.A, m.B, m.C, m.D, m.E, m.F, m.G);
                break;
            case Op.Burst:
                for (int i = 0; i < m.A; i++)
                {
                    Dispatch(m.B, 60, 0, 0, 0, 0, 0, linkRound: false);
                }

                _c.LinkRound();
                break;
            case Op.Cancel:
                string id = m.A == 0 && _orders > 0 ? "o-" + _orders : "nobody-" + _orders;
                _model.Cancelled(id, _c.Transport.IsConnected);
                _c.Cancel(id);
                break;
            case Op.LedgerAck:
                long upTo = _model.HighestLedgerId;
                if (upTo > 0)
                {
                    _model.LedgerAcked(upTo, _c.Transport.IsConnected);
                    _c.LedgerAck(upTo);
                }

                break;
            case Op.Fault:
                Fault(m.A, m.B == 1);
                break;
            case Op.LinkDown:
                _c.Transport.Accepts = false;
                if (_c.Transport.IsConnected)
                {
                    _c.Transport.Drop();
                }

                break;
            case Op.LinkUp:
                _c.Transport.Accepts = true;
                _c.RunUntil(() => _c.Transport.IsConnected, 30_000);
                break;
            case Op.PowerCut:
                _model.PowerCutting();
                bool down = !_c.Transport.Accepts;
                _c.PowerCut();
                _c.Transport.Accepts = !down;
                _c.AfterTick = _model.AfterTick;
                _model.Booted();
                break;
            case Op.Malformed:
                string badId = "bad-" + (++_malformed);
                string payload = m.A switch
                {
                    0 => "not json",
                    1 => "{\"v\":1,\"seq\":1}",
                    2 => "{\"v\":1,\"pad\":\"" + new string('x', 2_100) + "\"}",
                    _ => "{\"v\":1,\"id\":\"" + badId + "\",\"seq\":\"7\"}",
                };
                _model.MalformedSent(m.A == 3 ? badId : null, _c.Transport.IsConnected);
                _c.Deliver("dispatch", payload);
                break;
            case Op.FreezeSoc:
                _c.Modem.FreezeVehicleData = m.A == 1;
                break;
        }

        _c.Step();
    }

    private void Phone(Move m)
    {
        var request = _c.On("consent/request").LastOrDefault();
        if (request == null || _c.Car == null)
        {
            return;
        }

        string session = WireCharger.Str(request.Body, "sessionId")!;
        string nonce = m.B == 3 ? "0123456789abcdef0123456789abcdef" : WireCharger.Str(request.Body, "nonce")!;
        string conditions = m.B switch
        {
            1 => ",\"conditions\":{\"preset\":\"cautious\"}",
            2 => $",\"conditions\":{{\"keptSocPct\":{m.C / 10},\"minSellPrice\":{WireCharger.Price(m.D)},\"maxBuyPrice\":{WireCharger.Price(m.E)},\"delegated\":{(m.F == 1 ? "true" : "false")}}}",
            _ => string.Empty,
        };
        bool delivered = _c.Transport.IsConnected;
        _model.PhoneAnswered(session, m.A == 1, m.B == 3, m.B, m.C / 10 * 10, m.D, m.E, m.F == 1, delivered);
        _c.Deliver("consent/response", $"{{\"v\":1,\"sessionId\":\"{session}\",\"nonce\":\"{nonce}\",\"allow\":{(m.A == 1 ? "true" : "false")}{conditions}}}");
    }

    private void Prices(Move m)
    {
        long utc = _c.Clock.UtcMs;
        long from = m.A == 2 ? utc + 60_000 : utc - 600_000;
        long to = m.A == 1 ? utc - 60_000 : utc + 3_600_000;
        _model.PricesSent(from, to, m.D, m.E, _c.Transport.IsConnected);
        _c.Deliver("prices", $"{{\"v\":1,\"validFrom\":\"{_c.Rfc3339(from)}\",\"validTo\":\"{_c.Rfc3339(to)}\",\"buyPrice\":{WireCharger.Price(m.D)},\"sellPrice\":{WireCharger.Price(m.E)},\"currency\":\"JPY\"}}");
    }

    private void Dispatch(int setpointW, int durationS, int flags, int buy, int sell, int startInS, int mode, bool linkRound = true)
    {
        string id = "o-" + (++_orders);
        long seq = mode switch
        {
            1 => Math.Max(1, _model.Mark),
            2 => long.MaxValue,
            _ => 1_000_000 + (++_seq),
        };
        long utc = _c.Clock.UtcMs;
        long issued = mode switch { 3 => utc - 3_600_000, 4 => utc + 3_600_000, _ => utc };
        var json = new StringBuilder();
        json.Append(CultureInfo.InvariantCulture, $"{{\"v\":1,\"id\":\"{id}\",\"seq\":{seq},\"issuedAt\":\"{_c.Rfc3339(issued)}\",\"durationS\":{durationS},\"setpointW\":{setpointW}");
        if ((flags & 8) != 0)
        {
            json.Append(",\"startAt\":\"").Append(_c.Rfc3339(utc + startInS * 1000L)).Append('"');
        }

        if ((flags & 1) != 0)
        {
            json.Append(",\"buyPrice\":").Append(WireCharger.Price(buy));
        }

        if ((flags & 2) != 0)
        {
            json.Append(",\"sellPrice\":").Append(WireCharger.Price(sell));
        }

        if ((flags & 3) != 0 || (flags & 4) != 0)
        {
            json.Append(",\"currency\":\"").Append((flags & 4) != 0 ? "EUR" : "JPY").Append('"');
        }

        json.Append('}');
        var order = new ContractModel.Order(id, seq, issued, setpointW, durationS, (flags & 1) != 0 ? buy : -1, (flags & 2) != 0 ? sell : -1,
            (flags & 4) != 0, (flags & 8) != 0 ? startInS * 1000L : -1);
        _model.DispatchSent(order, _c.Transport.IsConnected);
        if (linkRound)
        {
            _c.Deliver("dispatch", json.ToString());
        }
        else if (_c.Transport.IsConnected)
        {
            _c.Transport.Deliver(WireCharger.Root + "/dispatch", json.ToString());
        }
    }

    private void Fault(int which, bool on)
    {
        switch (which)
        {
            case 0:
                _c.Rcd.ResidualCurrent = on;
                break;
            case 1:
                if (on)
                {
                    _c.Converter.InjectFault(ConverterFaults.Internal);
                }
                else
                {
                    _c.Converter.ClearFaults();
                }

                break;
            default:
                _c.Temperature.DeciCelsius = on ? 720 : 250;
                break;
        }

        if (!on)
        {
            // Latched faults (a tripped RCD) need a technician; the settle at the end clears them.
            _c.App.Inbox.Post(ChargerFirmware.Events.ControlEventKind.ClearFaults, 0, 0, null, null);
        }
    }
}
