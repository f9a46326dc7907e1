using ChargerFirmware.Aggregator.Ingest;
using ChargerFirmware.Aggregator.Storage;
using ChargerFirmware.Aggregator.Tests.Support;
using ChargerFirmware.Protocol.Messages;
using Xunit;
using static ChargerFirmware.Aggregator.Tests.Support.ChargerMessages;

namespace ChargerFirmware.Aggregator.Tests.Ingest;

/// <summary>Every ledger record stored exactly once, on SQLite and PostgreSQL; the ack never runs ahead of the commit.</summary>
public class LedgerIngestTests
{
    private static ChargerTraffic Traffic(Database db) =>
        new(db, new ServerSettings(), new MqttSettings { Port = 1 }, "test", () => T0, _ => { });

    private static long Count(Database db, string where = "1 = 1") => db.Read(tx => tx.Long($"SELECT COUNT(*) FROM ledger_records WHERE {where}")!.Value);

    [Theory]
    [MemberData(nameof(Backends.Both), MemberType = typeof(Backends))]
    public async Task A_redelivered_record_is_stored_once_and_acked_again(string backend)
    {
        Database db = Backends.Fresh(backend);
        await using ChargerTraffic traffic = Traffic(db);
        Incoming one = From("ch-1", Record(1));

        Assert.Equal(1, (await traffic.HandleAsync([one]))["ch-1"]);
        Assert.Equal(1, (await traffic.HandleAsync([one, one]))["ch-1"]);
        Assert.Equal(1, (await traffic.HandleAsync([From("ch-1", Record(1))]))["ch-1"]);

        Assert.Equal(1, Count(db));
        Assert.Equal(0, db.Read(tx => tx.Long("SELECT COUNT(*) FROM alarms")));
    }

    [Theory]
    [MemberData(nameof(Backends.Both), MemberType = typeof(Backends))]
    public async Task Other_content_under_a_known_id_raises_an_alarm_and_keeps_the_stored_record(string backend)
    {
        Database db = Backends.Fresh(backend);
        await using ChargerTraffic traffic = Traffic(db);
        await traffic.HandleAsync([From("ch-1", Record(1, wh: 1000))]);

        IReadOnlyDictionary<string, long> acks = await traffic.HandleAsync([From("ch-1", Record(1, wh: 9999))]);
        await traffic.HandleAsync([From("ch-1", Record(1, wh: 9999))]);

        Assert.Equal(1, acks["ch-1"]); // the id is held: the charger may stop resending it
        Assert.Equal(1000, db.Read(tx => tx.Long("SELECT wh FROM ledger_records WHERE charger_id = 'ch-1' AND record_id = 1")));
        var alarms = db.Read(tx => tx.Query("SELECT kind, subject, detail FROM alarms", r => (r.String("kind"), r.String("subject"), r.String("detail"))));
        var alarm = Assert.Single(alarms); // the same bad record twice raises it once
        Assert.Equal((LedgerIngest.ConflictAlarm, "1"), (alarm.Item1, alarm.Item2));
        Assert.Contains("\"wh\":9999", alarm.Item3, StringComparison.Ordinal);
        Assert.Contains("\"wh\":1000", alarm.Item3, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends.Both), MemberType = typeof(Backends))]
    public async Task An_entry_the_charger_could_not_price_is_stored_without_a_price_and_with_its_reason(string backend)
    {
        Database db = Backends.Fresh(backend);
        await using ChargerTraffic traffic = Traffic(db);
        LedgerMessage unpriced = Record(1, kind: LedgerKind.OwnCharge, wh: 1850, priceMilli: 0);
        unpriced.PriceReason = PriceReason.NoTariff;
        unpriced.AmountMilli = 0;

        Assert.Equal(1, (await traffic.HandleAsync([From("ch-1", unpriced)]))["ch-1"]);
        var row = db.Read(tx => tx.Query("SELECT price_milli, price_reason FROM ledger_records", r => (r.LongOrNull("price_milli"), r.String("price_reason"))));
        Assert.Equal(((long?)null, "no-tariff"), Assert.Single(row));
    }

    [Theory]
    [MemberData(nameof(Backends.Both), MemberType = typeof(Backends))]
    public async Task A_gap_holds_the_ack_until_the_missing_record_arrives(string backend)
    {
        Database db = Backends.Fresh(backend);
        await using ChargerTraffic traffic = Traffic(db);

        Assert.Equal(1, (await traffic.HandleAsync([From("ch-1", Record(1))]))["ch-1"]);
        Assert.Equal(1, (await traffic.HandleAsync([From("ch-1", Record(3)), From("ch-1", Record(4))]))["ch-1"]);
        Assert.Equal(4, (await traffic.HandleAsync([From("ch-1", Record(2))]))["ch-1"]);
        Assert.Empty(await traffic.HandleAsync([From("ch-2", Record(2))])); // a charger's first record is #1
        Assert.Equal(4, Count(db, "charger_id = 'ch-1'"));
    }

    [Theory]
    [MemberData(nameof(Backends.Both), MemberType = typeof(Backends))]
    public async Task A_crash_between_commit_and_ack_loses_nothing_and_the_resend_is_acked(string backend)
    {
        Database db = Backends.Fresh(backend);
        await using ChargerTraffic traffic = Traffic(db);
        traffic.AfterCommit = () => throw new IOException("power cut after the commit");

        await Assert.ThrowsAsync<IOException>(() => traffic.HandleAsync([From("ch-1", Record(1)), From("ch-1", Record(2))]));
        Assert.Equal(2, Count(db)); // committed, but no ack went out

        traffic.AfterCommit = null;
        IReadOnlyDictionary<string, long> acks = await traffic.HandleAsync([From("ch-1", Record(1)), From("ch-1", Record(2))]);
        Assert.Equal(2, acks["ch-1"]);
        Assert.Equal(2, Count(db));
    }

    [Theory]
    [MemberData(nameof(Backends.Both), MemberType = typeof(Backends))]
    public async Task Two_ingesters_racing_over_shuffled_redeliveries_store_each_record_once_and_never_ack_ahead(string backend)
    {
        Database db = Backends.Fresh(backend);
        await using ChargerTraffic a = Traffic(db);
        await using ChargerTraffic b = Traffic(db);
        var random = new Random(backend == "sqlite" ? 7 : 11);
        const int records = 60;
        string[] chargers = ["ch-a", "ch-b", "ch-c"];
        // Each record of each charger delivered 1..3 times, in a random order, to either ingester.
        List<Incoming> deliveries = [.. chargers.SelectMany(c => Enumerable.Range(1, records)
            .SelectMany(id => Enumerable.Repeat(From(c, Record(id, session: "s-" + c)), random.Next(1, 4))))
            .OrderBy(_ => random.Next())];
        var acked = new System.Collections.Concurrent.ConcurrentBag<(string Charger, long UpTo)>();

        async Task Consume(ChargerTraffic traffic, IEnumerable<Incoming> mine)
        {
            foreach (Incoming[] batch in mine.Chunk(random.Next(1, 5)))
            {
                foreach ((string charger, long upTo) in await traffic.HandleAsync(batch))
                {
                    // The model: an ack only covers records that are committed, all of them.
                    long held = db.Read(tx => tx.Long("SELECT COUNT(*) FROM ledger_records WHERE charger_id = @c AND record_id <= @u", ("@c", charger), ("@u", upTo)))!.Value;
                    Assert.Equal(upTo, held);
                    acked.Add((charger, upTo));
                }
            }
        }

        await Task.WhenAll(
            Task.Run(() => Consume(a, deliveries.Where((_, i) => i % 2 == 0).ToList())),
            Task.Run(() => Consume(b, deliveries.Where((_, i) => i % 2 == 1).ToList())));

        Assert.Equal(records * chargers.Length, Count(db));
        foreach (string charger in chargers)
        {
            Assert.Equal(records, acked.Where(x => x.Charger == charger).Max(x => x.UpTo));
            Assert.Equal(records, db.Read(tx => tx.Long("SELECT ledger_acked_up_to FROM chargers WHERE id = @c", ("@c", charger))));
        }

        Assert.Equal(0, db.Read(tx => tx.Long("SELECT COUNT(*) FROM alarms")));
    }

    [Theory]
    [MemberData(nameof(Backends.Both), MemberType = typeof(Backends))]
    public async Task A_payload_the_contract_refuses_raises_one_alarm_with_the_reason(string backend)
    {
        Database db = Backends.Fresh(backend);
        await using ChargerTraffic traffic = Traffic(db);
        Incoming bad = From("ch-1", Record(1)) with { Payload = "{\"v\":1,\"id\":0}"u8.ToArray() };

        await traffic.HandleAsync([bad, bad]);

        Assert.Equal(0, Count(db));
        string detail = db.Read(tx => tx.Scalar("SELECT detail FROM alarms WHERE kind = 'refused-message'") as string)!;
        Assert.StartsWith("out-of-range:id", detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends.Both), MemberType = typeof(Backends))]
    public void Migrations_run_once_and_again_change_nothing(string backend)
    {
        Database db = Backends.Fresh(backend);
        Assert.Empty(Migrations.Apply(db));
        Assert.Equal(Migrations.All.Count, db.Read(tx => tx.Long("SELECT COUNT(*) FROM schema_migrations")));
    }
}
