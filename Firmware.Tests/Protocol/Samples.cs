using System.Collections;
using System.Reflection;
using ChargerFirmware.Protocol;
using ChargerFirmware.Protocol.Json;
using ChargerFirmware.Protocol.Messages;
using Xunit;

namespace ChargerFirmware.Tests.Protocol;

/// <summary>Valid messages of every kind: random ones within the contract's ranges, and field-by-field comparison.</summary>
public static class Samples
{
    public const string ChargerId = "ch-0017";

    public static readonly int[] JsonKinds =
    [
        MessageKind.Status, MessageKind.Event, MessageKind.ConsentRequest, MessageKind.ConsentResponse, MessageKind.Dispatch,
        MessageKind.DispatchCancel, MessageKind.DispatchAck, MessageKind.Prices, MessageKind.Telemetry, MessageKind.Ledger, MessageKind.LedgerAck,
    ];

    public static readonly int[] IncomingKinds = JsonKinds.Where(MessageKind.IsIncoming).ToArray();

    public static Message Create(int kind) => kind switch
    {
        MessageKind.Status => new StatusMessage(),
        MessageKind.Event => new EventMessage(),
        MessageKind.ConsentRequest => new ConsentRequestMessage(),
        MessageKind.ConsentResponse => new ConsentResponseMessage(),
        MessageKind.Dispatch => new DispatchMessage(),
        MessageKind.DispatchCancel => new DispatchCancelMessage(),
        MessageKind.DispatchAck => new DispatchAckMessage(),
        MessageKind.Prices => new PricesMessage(),
        MessageKind.Telemetry => new TelemetryMessage(),
        MessageKind.Ledger => new LedgerMessage(),
        MessageKind.LedgerAck => new LedgerAckMessage(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static Message Random(int kind, Random rng)
    {
        switch (kind)
        {
            case MessageKind.Status:
                var status = new StatusMessage
                {
                    State = rng.Next(1, ChargerState.Names.Max + 1),
                    Pilot = rng.Next(1, PilotState.Names.Max + 1),
                    Consent = rng.Next(1, ConsentState.Names.Max + 1),
                    PowerW = Power(rng),
                    SetpointW = Power(rng),
                    Reason = Token(rng),
                    DispatchId = Maybe(rng) ? Token(rng) : null,
                    FaultCount = rng.Next(0, Limits.MaxFaults + 1),
                    ClockSynced = Maybe(rng),
                    AtMs = Time(rng),
                };
                status.HasSocPct = Maybe(rng);
                status.SocPct = status.HasSocPct ? rng.Next(0, 101) : 0;
                status.HasSocAgeS = Maybe(rng);
                status.SocAgeS = status.HasSocAgeS ? rng.Next() : 0;
                status.HasCapacityWh = Maybe(rng);
                status.CapacityWh = status.HasCapacityWh ? Counter(rng) : 0;
                status.MaxChargeW = rng.Next(0, Limits.MaxPowerW + 1);
                status.MaxDischargeW = rng.Next(0, Limits.MaxPowerW + 1);
                for (int i = 0; i < status.FaultCount; i++)
                {
                    status.Faults[i] = Token(rng);
                }

                FillConditions(status.Conditions, rng, driverChoice: false);
                return status;
            case MessageKind.Event:
                return RandomEvent(rng);
            case MessageKind.ConsentRequest:
                return new ConsentRequestMessage
                {
                    SessionId = Token(rng),
                    Nonce = Token(rng),
                    VehicleId = Maybe(rng) ? Token(rng) : null,
                    BuyPriceMilli = Price(rng),
                    SellPriceMilli = Price(rng),
                    Currency = Currency(rng),
                    DeadlineMs = Time(rng),
                };
            case MessageKind.ConsentResponse:
                var response = new ConsentResponseMessage { SessionId = Token(rng), Nonce = Token(rng), Allow = Maybe(rng), HasConditions = Maybe(rng) };
                if (response.HasConditions)
                {
                    FillConditions(response.Conditions, rng, driverChoice: true);
                }

                response.Settlement = rng.Next(0, ChargerFirmware.Protocol.Messages.Settlement.Names.Max + 1);
                response.HasRemember = Maybe(rng);
                response.Remember = response.HasRemember && Maybe(rng);

                return response;
            case MessageKind.Dispatch:
                var dispatch = new DispatchMessage
                {
                    Id = Token(rng),
                    Seq = rng.NextInt64(1, Limits.MaxSeq + 1),
                    IssuedAtMs = Time(rng),
                    HasStartAt = Maybe(rng),
                    DurationS = rng.Next(1, Limits.MaxDurationS + 1),
                    SetpointW = Power(rng),
                    HasRampWps = Maybe(rng),
                    HasBuyPrice = Maybe(rng),
                    HasSellPrice = Maybe(rng),
                    ChargerId = Maybe(rng) ? ChargerId : null,
                };
                dispatch.StartAtMs = dispatch.HasStartAt ? Time(rng) : 0;
                dispatch.RampWps = dispatch.HasRampWps ? rng.Next(1, Limits.MaxRampWps + 1) : 0;
                dispatch.BuyPriceMilli = dispatch.HasBuyPrice ? Price(rng) : 0;
                dispatch.SellPriceMilli = dispatch.HasSellPrice ? Price(rng) : 0;
                dispatch.Currency = dispatch.HasBuyPrice || dispatch.HasSellPrice || Maybe(rng) ? Currency(rng) : null;
                return dispatch;
            case MessageKind.DispatchCancel:
                return new DispatchCancelMessage { Id = Token(rng) };
            case MessageKind.DispatchAck:
                var ack = new DispatchAckMessage
                {
                    Id = Token(rng),
                    Status = rng.Next(1, DispatchStatus.Names.Max + 1),
                    AppliedW = Power(rng),
                    AtMs = Time(rng),
                };
                ack.Reason = ack.Status is DispatchStatus.Rejected or DispatchStatus.Interrupted || Maybe(rng) ? Token(rng) : null;
                if (rng.Next(4) == 0)
                {
                    ack.SetRejected(null, "ignored", ack.AppliedW, ack.AtMs);
                }

                return ack;
            case MessageKind.Prices:
                long from = rng.NextInt64(Rfc3339.MinUnixMs, Rfc3339.MaxUnixMs);
                return new PricesMessage
                {
                    ValidFromMs = from,
                    ValidToMs = rng.NextInt64(from + 1, Rfc3339.MaxUnixMs + 1),
                    BuyPriceMilli = Price(rng),
                    SellPriceMilli = Price(rng),
                    Currency = Currency(rng),
                };
            case MessageKind.Telemetry:
                var telemetry = new TelemetryMessage
                {
                    AtMs = Time(rng),
                    PowerW = Power(rng),
                    VoltageMilliV = rng.Next(0, Limits.MaxVoltageMilliV + 1),
                    CurrentMilliA = rng.Next(-Limits.MaxCurrentMilliA, Limits.MaxCurrentMilliA + 1),
                    ImportWh = Counter(rng),
                    ExportWh = Counter(rng),
                    HasSocPct = Maybe(rng),
                    TemperatureDeciC = rng.Next(Limits.MinTemperatureDeciC, Limits.MaxTemperatureDeciC + 1),
                };
                telemetry.SocPct = telemetry.HasSocPct ? rng.Next(0, 101) : 0;
                telemetry.HasSocAgeS = Maybe(rng);
                telemetry.SocAgeS = telemetry.HasSocAgeS ? rng.Next() : 0;
                return telemetry;
            case MessageKind.Ledger:
                long start = rng.NextInt64(Rfc3339.MinUnixMs, Rfc3339.MaxUnixMs);
                var entry = new LedgerMessage
                {
                    Id = rng.NextInt64(1, Limits.MaxCounter + 1),
                    SessionId = Token(rng),
                    VehicleId = Maybe(rng) ? Token(rng) : null,
                    StartMs = start,
                    EndMs = rng.NextInt64(start, Rfc3339.MaxUnixMs + 1),
                    EntryKind = rng.Next(1, LedgerKind.Names.Max + 1),
                    Wh = Counter(rng),
                    PriceMilli = Price(rng),
                    Currency = Currency(rng),
                    AmountMilli = Counter(rng),
                    DispatchId = Maybe(rng) ? Token(rng) : null,
                    Settlement = rng.Next(1, ChargerFirmware.Protocol.Messages.Settlement.Names.Max + 1),
                };
                if (rng.Next(4) == 0)
                {
                    // Unpriced: price and amount null, with the reason.
                    entry.PriceReason = rng.Next(1, PriceReason.Names.Max + 1);
                    entry.PriceMilli = 0;
                    entry.AmountMilli = 0;
                }

                return entry;
            case MessageKind.LedgerAck:
                return new LedgerAckMessage { UpTo = rng.Next(3) == 0 ? Limits.MaxCounter : Counter(rng) };
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    /// <summary>Asserts that every public field (recursing into nested objects and arrays) of the two is equal.</summary>
    public static void AssertSameFields(object expected, object actual, string path = "")
    {
        Assert.Equal(expected.GetType(), actual.GetType());
        foreach (var field in expected.GetType().GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            object? e = field.GetValue(expected);
            object? a = field.GetValue(actual);
            string where = path + field.Name;
            if (e is IList list && a is IList other)
            {
                Assert.True(list.Count == other.Count, where);
                for (int i = 0; i < list.Count; i++)
                {
                    Assert.True(Equals(list[i], other[i]), $"{where}[{i}]: expected {list[i]}, got {other[i]}");
                }
            }
            else if (e != null && !field.FieldType.IsPrimitive && field.FieldType != typeof(string))
            {
                AssertSameFields(e, a!, where + ".");
            }
            else
            {
                Assert.True(Equals(e, a), $"{where}: expected {e}, got {a}");
            }
        }
    }

    public static byte[] Encode(Message message)
    {
        var buffer = new byte[MessageCodec.MaxPayloadLength * 2];
        int length = new MessageCodec(ChargerId).Encode(message, buffer);
        Assert.True(length > 0, "encode failed");
        return buffer[..length];
    }

    public static string Token(Random rng)
    {
        int length = rng.Next(4) == 0 ? rng.Next(1, Limits.MaxTokenLength + 1) : rng.Next(1, 12);
        var chars = new char[length];
        for (int i = 0; i < length; i++)
        {
            chars[i] = (char)rng.Next('!', '~' + 1);
        }

        return new string(chars);
    }

    private static EventMessage RandomEvent(Random rng)
    {
        var ev = new EventMessage
        {
            Type = rng.Next(1, EventType.Names.Max + 1),
            AtMs = Time(rng),
            SessionId = Maybe(rng) ? Token(rng) : null,
        };
        switch (ev.Type)
        {
            case EventType.Plugged:
                ev.VehicleId = Maybe(rng) ? Token(rng) : null;
                break;
            case EventType.SessionEnded:
                ev.ImportWh = Counter(rng);
                ev.ExportWh = Counter(rng);
                ev.PurchaseMilli = Counter(rng);
                ev.EarningsMilli = Counter(rng);
                ev.NetMilli = ev.EarningsMilli - ev.PurchaseMilli;
                ev.Currency = Currency(rng);
                ev.UnpricedImportWh = rng.NextInt64(0, ev.ImportWh + 1);
                ev.UnpricedExportWh = rng.NextInt64(0, ev.ExportWh + 1);
                break;
            case EventType.FaultRaised:
            case EventType.FaultCleared:
                ev.Fault = Token(rng);
                break;
            case EventType.DispatchExpired:
                ev.DispatchId = Token(rng);
                break;
            case EventType.Storage:
                ev.File = Token(rng);
                ev.Result = Token(rng);
                break;
        }

        return ev;
    }

    private static void FillConditions(ChargerFirmware.Protocol.Messages.Conditions conditions, Random rng, bool driverChoice)
    {
        bool preset = Maybe(rng);
        conditions.Preset = preset ? Token(rng) : null;
        if (driverChoice && preset)
        {
            return;
        }

        conditions.HasMinSellPrice = Maybe(rng);
        conditions.MinSellPriceMilli = conditions.HasMinSellPrice ? Price(rng) : 0;
        conditions.HasMaxBuyPrice = Maybe(rng);
        conditions.MaxBuyPriceMilli = conditions.HasMaxBuyPrice ? Price(rng) : 0;
        conditions.HasKeptSocPct = Maybe(rng);
        conditions.KeptSocPct = conditions.HasKeptSocPct ? rng.Next(0, 101) : 0;
        conditions.HasDelegated = Maybe(rng);
        conditions.Delegated = conditions.HasDelegated && Maybe(rng);
        conditions.HasInWindow = !driverChoice && Maybe(rng);
        conditions.InWindow = conditions.HasInWindow && Maybe(rng);
        if (Maybe(rng))
        {
            conditions.HasWindows = true;
            int count = rng.Next(0, ChargerFirmware.Protocol.Messages.Conditions.MaxWindows + 1);
            while (conditions.WindowCount < count)
            {
                int from = rng.Next(0, 1440);
                int to = rng.Next(1, 1441);
                conditions.AddWindow(rng.Next(1, 128), from, to);
            }
        }
    }

    private static bool Maybe(Random rng) => rng.Next(2) == 0;

    private static int Power(Random rng) => rng.Next(-Limits.MaxPowerW, Limits.MaxPowerW + 1);

    // Edges (0, the maximum, whole units) as often as arbitrary milli values.
    private static long Price(Random rng) => rng.Next(4) switch
    {
        0 => 0,
        1 => Limits.MaxPriceMilli,
        2 => rng.Next(0, 100) * 1000L,
        _ => rng.NextInt64(0, Limits.MaxPriceMilli + 1),
    };

    private static long Counter(Random rng) => rng.Next(3) == 0 ? rng.Next(0, 100000) : rng.NextInt64(0, Limits.MaxCounter + 1);

    private static string Currency(Random rng) => new([(char)rng.Next('A', 'Z' + 1), (char)rng.Next('A', 'Z' + 1), (char)rng.Next('A', 'Z' + 1)]);

    // Whole seconds half of the time, so both time formats occur.
    private static long Time(Random rng)
    {
        long ms = rng.NextInt64(Rfc3339.MinUnixMs, Rfc3339.MaxUnixMs + 1);
        return rng.Next(2) == 0 ? ms - ((ms % 1000) + 1000) % 1000 : ms;
    }
}
