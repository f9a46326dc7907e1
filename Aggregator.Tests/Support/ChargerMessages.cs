using ChargerFirmware.Aggregator.Ingest;
using ChargerFirmware.Protocol.Messages;

namespace ChargerFirmware.Aggregator.Tests.Support;

/// <summary>What a charger publishes, encoded by the contract's own codec, as the server receives it.</summary>
public static class ChargerMessages
{
    /// <summary>Base time of the records: 2027-01-15T00:00:00Z.</summary>
    public const long T0 = 1_799_971_200_000;

    /// <summary>A ledger record.</summary>
    public static LedgerMessage Record(long id, string session = "s-1", int kind = LedgerKind.AggregatorDischarge, long wh = 1000, long priceMilli = 25_000,
        string? vehicle = null, string? dispatch = null, int settlement = Protocol.Messages.Settlement.Offset, long startMs = T0) => new()
    {
        Id = id,
        SessionId = session,
        VehicleId = vehicle,
        StartMs = startMs + (id * 60_000),
        EndMs = startMs + (id * 60_000) + 30_000,
        EntryKind = kind,
        Wh = wh,
        PriceMilli = priceMilli,
        Currency = "JPY",
        AmountMilli = wh * priceMilli / 1000,
        DispatchId = dispatch,
        Settlement = settlement,
    };

    /// <summary>A status of a plugged-in car with consent.</summary>
    public static StatusMessage Status(long atMs, int socPct = 70, string? dispatchId = null, int powerW = 0, long? minSellMilli = 25_000,
        long? maxBuyMilli = 15_000, int keptSocPct = 50, bool delegated = false, int consent = ConsentState.Granted, bool? inWindow = true)
    {
        var s = new StatusMessage
        {
            State = ChargerState.Paused,
            Pilot = PilotState.C,
            Consent = consent,
            HasSocPct = true,
            SocPct = socPct,
            HasSocAgeS = true,
            SocAgeS = 2,
            PowerW = powerW,
            SetpointW = powerW,
            Reason = dispatchId is null ? "awaiting-dispatch" : "dispatch",
            DispatchId = dispatchId,
            ClockSynced = true,
            AtMs = atMs,
        };
        s.Conditions.HasMinSellPrice = minSellMilli is not null;
        s.Conditions.MinSellPriceMilli = minSellMilli ?? 0;
        s.Conditions.HasMaxBuyPrice = maxBuyMilli is not null;
        s.Conditions.MaxBuyPriceMilli = maxBuyMilli ?? 0;
        s.Conditions.HasKeptSocPct = true;
        s.Conditions.KeptSocPct = keptSocPct;
        s.Conditions.HasDelegated = true;
        s.Conditions.Delegated = delegated;
        s.Conditions.HasInWindow = inWindow is not null;
        s.Conditions.InWindow = inWindow ?? false;
        return s;
    }

    /// <summary>A dispatch acknowledgement.</summary>
    public static DispatchAckMessage Ack(string id, int status, string? reason, int appliedW, long atMs) =>
        new() { Id = id, Status = status, Reason = reason, AppliedW = appliedW, AtMs = atMs };

    /// <summary>An event.</summary>
    public static EventMessage Event(int type, long atMs, string session, string? vehicle = null) =>
        new() { Type = type, AtMs = atMs, SessionId = session, VehicleId = vehicle };

    /// <summary>A consent request.</summary>
    public static ConsentRequestMessage ConsentRequest(string session, string nonce, string? vehicle, long deadlineMs) => new()
    {
        SessionId = session,
        Nonce = nonce,
        VehicleId = vehicle,
        BuyPriceMilli = 12_000,
        SellPriceMilli = 18_000,
        Currency = "JPY",
        DeadlineMs = deadlineMs,
    };

    /// <summary><paramref name="message"/> as it arrives from <paramref name="chargerId"/>.</summary>
    public static Incoming From(string chargerId, Message message) =>
        new(Wire.TopicsOf(chargerId).ForKind(message.Kind)!, chargerId, message.Kind, Wire.Encode(message));

    /// <summary>Availability as it arrives.</summary>
    public static Incoming Availability(string chargerId, bool online) =>
        new(Wire.TopicsOf(chargerId).Availability, chargerId, Protocol.MessageKind.Availability, System.Text.Encoding.ASCII.GetBytes(online ? "online" : "offline"));
}
