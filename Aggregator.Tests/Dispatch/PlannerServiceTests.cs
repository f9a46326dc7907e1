using ChargerFirmware.Aggregator.Consent;
using ChargerFirmware.Aggregator.Dispatch;
using ChargerFirmware.Aggregator.Ingest;
using ChargerFirmware.Aggregator.Storage;
using ChargerFirmware.Aggregator.Tests.Support;
using ChargerFirmware.Protocol.Messages;
using Xunit;
using static ChargerFirmware.Aggregator.Tests.Support.ChargerMessages;

namespace ChargerFirmware.Aggregator.Tests.Dispatch;

/// <summary>
/// The planner against the database, stepped by hand (no broker: what it would publish stays
/// "planned"): which chargers get orders at which price, the re-plan after a refusal, and the
/// delivery report from the acks and the ledger.
/// </summary>
public class PlannerServiceTests
{
    [Theory]
    [MemberData(nameof(Backends.Both), MemberType = typeof(Backends))]
    public async Task A_down_response_recruits_at_the_price_the_shortfall_needs_and_replans_after_a_refusal(string backend)
    {
        Database db = Backends.Fresh(backend);
        var settings = new ServerSettings();
        var mqtt = new MqttSettings { Port = 1 };
        await using var traffic = new ChargerTraffic(db, settings, mqtt, "t", () => T0, _ => { });
        await using var relay = new ConsentRelay(db, mqtt, "t", () => T0, _ => { });
        await using var planner = new PlannerService(db, settings, traffic, relay, "t", () => T0, _ => { });
        await traffic.HandleAsync([
            Availability("c1", true), From("c1", Status(T0, minSellMilli: 18_000)),
            Availability("c2", true), From("c2", Status(T0, minSellMilli: 25_000)),
            Availability("c3", true), From("c3", Status(T0, minSellMilli: 30_000)),
            Availability("c4", true), From("c4", Status(T0, consent: ConsentState.Pending)),
            Availability("c5", true), From("c5", Status(T0, socPct: 50, keptSocPct: 50)),
            Availability("c6", true), From("c6", Status(T0, inWindow: false)),
            Availability("c7", false), From("c7", Status(T0)),
        ]);
        var drs = new DemandResponses(db, settings, () => T0);
        DemandResponse dr = drs.Declare(down: true, 14_000, T0, 900, 18_000, 36_000, 6_000, "test");

        await planner.RoundAsync();

        List<Order> orders = Orders(db, dr.Id);
        Assert.Equal(["c1", "c2"], orders.Select(o => o.ChargerId));
        Assert.All(orders, o => Assert.Equal((-7_000, 30_000L, 12_000L, 900), (o.SetpointW, o.SellMilli!.Value, o.BuyMilli!.Value, o.DurationS))); // the standing buy price goes along
        Assert.Equal(30_000, drs.Get(dr.Id)!.PriceMilli);

        // c1 takes it, c2 refuses (its status was stale): the planner recruits c3 at no lower price.
        await traffic.HandleAsync([
            From("c1", Ack(orders[0].Id, DispatchStatus.Accepted, null, 0, T0)), From("c1", Ack(orders[0].Id, DispatchStatus.Active, null, -7_000, T0)),
            From("c2", Ack(orders[1].Id, DispatchStatus.Rejected, "price-below-minimum", 0, T0)),
        ]);
        await planner.RoundAsync();

        orders = Orders(db, dr.Id);
        Assert.Equal([("c1", "active"), ("c2", "rejected"), ("c3", "planned")], orders.Select(o => (o.ChargerId, o.State)));
        Assert.Equal(30_000, orders[2].SellMilli);

        // Delivered energy comes from the ledger records under the orders.
        await traffic.HandleAsync([
            From("c1", Record(1, kind: LedgerKind.AggregatorDischarge, wh: 1_700, priceMilli: 30_000, dispatch: orders[0].Id)),
            From("c3", Record(1, kind: LedgerKind.AggregatorDischarge, wh: 1_600, priceMilli: 30_000, dispatch: orders[2].Id)),
            From("c3", Record(2, kind: LedgerKind.OwnCharge, wh: 500, priceMilli: 12_000)),
        ]);
        DrReport report = drs.Report(dr.Id)!;
        Assert.Equal((3_500L, 3_300L, 2), (report.Dr.RequestedWh, report.DeliveredWh, report.LedgerRecords));
        Assert.Equal(14_000, report.CommittedW); // c1 active + c3 planned
        Assert.Equal(1, report.Orders["rejected price-below-minimum"]);
    }

    [Theory]
    [MemberData(nameof(Backends.Both), MemberType = typeof(Backends))]
    public async Task An_up_response_lowers_the_buy_price_and_skips_full_batteries(string backend)
    {
        Database db = Backends.Fresh(backend);
        var settings = new ServerSettings();
        var mqtt = new MqttSettings { Port = 1 };
        await using var traffic = new ChargerTraffic(db, settings, mqtt, "t", () => T0, _ => { });
        await using var relay = new ConsentRelay(db, mqtt, "t", () => T0, _ => { });
        await using var planner = new PlannerService(db, settings, traffic, relay, "t", () => T0, _ => { });
        await traffic.HandleAsync([
            Availability("u1", true), From("u1", Status(T0, socPct: 40, maxBuyMilli: 12_000)),
            Availability("u2", true), From("u2", Status(T0, socPct: 40, maxBuyMilli: 8_000)),
            Availability("u3", true), From("u3", Status(T0, socPct: 100, maxBuyMilli: 20_000)),
        ]);
        DemandResponse dr = new DemandResponses(db, settings, () => T0).Declare(down: false, 14_000, T0, 900, 12_000, 6_000, 2_000, "");

        await planner.RoundAsync();

        List<Order> orders = Orders(db, dr.Id);
        Assert.Equal(["u1", "u2"], orders.Select(o => o.ChargerId));
        Assert.All(orders, o => Assert.Equal((7_000, 8_000L, 18_000L), (o.SetpointW, o.BuyMilli!.Value, o.SellMilli!.Value)));
    }

    private static List<Order> Orders(Database db, long drId) =>
        db.Read(tx => tx.Query("SELECT * FROM orders WHERE dr_id = @d ORDER BY charger_id", Order.Read, ("@d", drId)));
}
