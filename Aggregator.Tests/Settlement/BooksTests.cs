using ChargerFirmware.Aggregator.Accounts;
using ChargerFirmware.Aggregator.Ingest;
using ChargerFirmware.Aggregator.Settlement;
using ChargerFirmware.Aggregator.Storage;
using ChargerFirmware.Aggregator.Tests.Support;
using ChargerFirmware.Protocol.Messages;
using Xunit;
using static ChargerFirmware.Aggregator.Tests.Support.ChargerMessages;

namespace ChargerFirmware.Aggregator.Tests.Settlement;

/// <summary>Balances over any period, by settlement and by vehicle; monthly statements with offset, points and payout; usage by month, day and hour.</summary>
public class BooksTests
{
    // Local time is Japan (UTC+9): 2027-01-31T23:30+09:00 is January, 2027-02-01T00:30+09:00 February.
    private const long Jan31Late = 1_801_405_800_000; // 2027-01-31T14:30:00Z
    private const long Feb1Early = 1_801_409_400_000; // 2027-01-31T15:30:00Z

    [Theory]
    [MemberData(nameof(Backends.Both), MemberType = typeof(Backends))]
    public async Task Statements_offset_earnings_against_purchases_carry_the_rest_and_count_points_and_payout(string backend)
    {
        Database db = Backends.Fresh(backend);
        var settings = new ServerSettings { PointsRateMilli = 1_500 };
        var accounts = new AccountStore(db, () => T0);
        var books = new Books(db, settings, () => T0);
        (long aiko, _) = accounts.SignUp("Aiko", "phone");
        (long ben, _) = accounts.SignUp("Ben", "phone");
        Vehicle leaf = accounts.AddVehicle(aiko, "Leaf", "AA01", null, 40_000);
        Vehicle ioniq = accounts.AddVehicle(aiko, "Ioniq", "AA02", null, 58_000);
        accounts.SetChargerOwner("home", aiko);
        await using var traffic = new ChargerTraffic(db, settings, new MqttSettings { Port = 1 }, "t", () => T0, _ => { });

        // January: charge 10 kWh at 12 (120), sell 2 kWh at 30 as offset (60), 1 kWh at 30 as points (30 → 45 points).
        // February: sell 4 kWh at 30 as offset (120) against a 1 kWh charge at 12 (12); 1 kWh at 20 as payout.
        await traffic.HandleAsync([
            From("home", Record(1, "s-1", LedgerKind.OwnCharge, 10_000, 12_000, "AA01", startMs: Jan31Late - 3_600_000)),
            From("home", Record(2, "s-1", LedgerKind.AggregatorDischarge, 2_000, 30_000, "AA01", startMs: Jan31Late - 3_600_000)),
            From("home", Record(3, "s-1", LedgerKind.AggregatorDischarge, 1_000, 30_000, "AA02", settlement: Protocol.Messages.Settlement.Points, startMs: Jan31Late - 3_600_000)),
            From("home", Record(4, "s-2", LedgerKind.AggregatorDischarge, 4_000, 30_000, "AA01", startMs: Feb1Early)),
            From("home", Record(5, "s-2", LedgerKind.OwnCharge, 1_000, 12_000, "AA01", startMs: Feb1Early)),
            From("home", Record(6, "s-2", LedgerKind.AggregatorDischarge, 1_000, 20_000, "AA02", settlement: Protocol.Messages.Settlement.Payout, startMs: Feb1Early)),
        ]);
        Assert.Equal(1, books.Redeem(aiko, 44, "coffee")); // 45 points earned in January
        Assert.Null(books.Redeem(aiko, 2, "too many"));

        Statement january = books.StatementOf(aiko, "2027-01");
        Assert.Equal((10_000L, 120_000L), (january.Purchases.ImportWh, january.Purchases.PurchaseMilli));
        Assert.Equal((60_000L, 0L), (january.OffsetApplied, january.OffsetCarriedOut));
        Assert.Equal(60_000, january.AmountDueMilli);
        Assert.Equal((45L, 44L, 1L), (january.PointsEarned, january.PointsRedeemed, january.PointsBalance)); // redeemed at T0, in January
        Assert.Equal(3, january.Records.Count);

        Statement february = books.StatementOf(aiko, "2027-02");
        Assert.Equal((0L, 12_000L, 108_000L), (february.OffsetCarriedIn, february.OffsetApplied, february.OffsetCarriedOut));
        Assert.Equal((0L, 20_000L), (february.AmountDueMilli, february.PayoutMilli));

        Balance all = books.BalanceOf(aiko, 0, long.MaxValue / 2);
        Assert.Equal((11_000L, 132_000L, 8_000L, 230_000L, 98_000L), (all.All.ImportWh, all.All.PurchaseMilli, all.All.ExportWh, all.All.EarningsMilli, all.All.NetMilli));
        Assert.Equal(30_000, all.BySettlement["points"].EarningsMilli);
        Assert.Equal(20_000, all.BySettlement["payout"].EarningsMilli);
        Assert.Equal([(leaf.Id, 48_000L), (ioniq.Id, 30_000L + 20_000L)], all.ByVehicle.Select(v => (v.VehicleId!.Value, v.All.NetMilli)));
        Balance january1 = books.BalanceOf(aiko, Jan31Late - 86_400_000, Feb1Early - 1_000); // any period
        Assert.Equal(3, january1.All.Records);

        Usage usage = books.UsageOf(aiko, 0, long.MaxValue / 2);
        Assert.Equal(["2027-01", "2027-02"], usage.ByMonth.Select(b => b.Key));
        Assert.Equal(3_000, usage.ByDayOfWeek.Single(b => b.Key == "Sun").ExportWh); // 2027-01-31 is a Sunday
        Assert.Equal((10_000L, 3_000L), (usage.ByHour.Single(b => b.Key == "22").ImportWh, usage.ByHour.Single(b => b.Key == "22").ExportWh));
        Assert.Equal(5_000, usage.ByHour.Single(b => b.Key == "00").ExportWh);
        Assert.Equal(2, usage.ByMonth[0].Sessions + usage.ByMonth[1].Sessions);

        Assert.Equal(0, books.BalanceOf(ben, 0, long.MaxValue / 2).All.Records); // nothing of Aiko's shows for Ben
        Assert.Empty(books.Months(ben));
    }
}
