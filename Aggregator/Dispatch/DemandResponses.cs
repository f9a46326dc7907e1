using ChargerFirmware.Aggregator.Storage;

namespace ChargerFirmware.Aggregator.Dispatch;

/// <summary>A demand response as declared (prices in milli-currency per kWh, times Unix ms).</summary>
public sealed record DemandResponse(long Id, string Direction, long PowerW, long StartMs, int DurationS, long BaseMilli, long LimitMilli,
    long StepMilli, long? PriceMilli, string Currency, string State, string Note, long CreatedAt)
{
    /// <summary>True for down (discharge), false for up (charge).</summary>
    public bool Down => Direction == "down";

    /// <summary>End, Unix ms.</summary>
    public long EndMs => StartMs + (DurationS * 1000L);

    /// <summary>Energy asked for, Wh.</summary>
    public long RequestedWh => PowerW * DurationS / 3600;

    internal static DemandResponse Read(Row r) => new(r.Long("id"), r.String("direction"), r.Long("power_w"), r.Long("start_ms"), r.Int("duration_s"),
        r.Long("base_price_milli"), r.Long("limit_price_milli"), r.Long("step_price_milli"), r.LongOrNull("price_milli"), r.String("currency"),
        r.String("state"), r.String("note"), r.Long("created_at"));
}

/// <summary>How a demand response went, from the orders' acknowledgements and the ledger.</summary>
/// <param name="Dr">The demand response.</param>
/// <param name="Orders">Orders by state ("active" → 12, "rejected price-below-minimum" → 2).</param>
/// <param name="CommittedW">Power of the orders that still hold (sent, accepted, active), W.</param>
/// <param name="LiveW">Power the dispatched chargers report now (their statuses), W, in the direction asked.</param>
/// <param name="DeliveredWh">Energy the ledger records under the demand response's orders, Wh, in the direction asked.</param>
/// <param name="LedgerRecords">How many ledger records that is.</param>
public sealed record DrReport(DemandResponse Dr, IReadOnlyDictionary<string, int> Orders, long CommittedW, long LiveW, long DeliveredWh, int LedgerRecords)
{
    /// <summary>Delivered energy over the energy asked for, percent.</summary>
    public double DeliveredPct => Dr.RequestedWh == 0 ? 0 : 100.0 * DeliveredWh / Dr.RequestedWh;
}

/// <summary>Demand responses the operator declares; the planner runs them.</summary>
public sealed class DemandResponses(Database db, ServerSettings settings, Func<long> clock)
{
    /// <summary>
    /// Declares a demand response: <paramref name="down"/> (discharge) or up (charge),
    /// <paramref name="powerW"/> from <paramref name="startMs"/> for <paramref name="durationS"/>. Prices
    /// (milli-currency per kWh) default to the standing tariff's, a limit of twice (down) or half
    /// (up) of it, and five steps between.
    /// </summary>
    public DemandResponse Declare(bool down, long powerW, long startMs, int durationS, long? baseMilli, long? limitMilli, long? stepMilli, string note)
    {
        if (powerW is < 1_000 or > 1_000_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(powerW), "power is 1 kW .. 1 GW");
        }

        if (durationS is < 60 or > 86_400)
        {
            throw new ArgumentOutOfRangeException(nameof(durationS), "duration is 1 minute .. 24 hours");
        }

        (long buy, long sell, _) = Tariff.Current(db, settings);
        long b = baseMilli ?? (down ? sell : buy);
        long limit = limitMilli ?? (down ? b * 2 : b / 2);
        if (b < 0 || limit < 0 || (down ? limit < b : limit > b))
        {
            throw new ArgumentOutOfRangeException(nameof(limitMilli), down ? "a down-DR's limit is at or above its base price" : "an up-DR's limit is at or below its base price");
        }

        long step = stepMilli ?? Math.Abs(limit - b) / 5;
        if (step < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(stepMilli), "the price step is 0 or more");
        }

        long now = clock();
        return db.Write(tx =>
        {
            long id = tx.Long(
                """
                INSERT INTO demand_responses (direction, power_w, start_ms, duration_s, base_price_milli, limit_price_milli, step_price_milli,
                  currency, state, note, created_at) VALUES (@d, @p, @s, @dur, @b, @l, @step, @cur, 'scheduled', @n, @t) RETURNING id
                """,
                ("@d", down ? "down" : "up"), ("@p", powerW), ("@s", startMs), ("@dur", durationS), ("@b", b), ("@l", limit), ("@step", step),
                ("@cur", settings.Currency), ("@n", note), ("@t", now))!.Value;
            return Get(tx, id)!;
        });
    }

    /// <summary>The demand response <paramref name="id"/>, or null.</summary>
    public DemandResponse? Get(long id) => db.Read(tx => Get(tx, id));

    /// <summary>The latest demand responses, newest first.</summary>
    public List<DemandResponse> Latest(int count) => db.Read(tx => tx.Query(
        "SELECT * FROM demand_responses ORDER BY id DESC LIMIT @n", DemandResponse.Read, ("@n", count)));

    /// <summary>Cancels a demand response that has not ended; returns its open orders (the caller cancels them at the chargers).</summary>
    public List<Order>? Cancel(long id) => db.Write(tx =>
    {
        if (tx.Execute("UPDATE demand_responses SET state = 'cancelled' WHERE id = @id AND state IN ('scheduled', 'active')", ("@id", id)) != 1)
        {
            return null;
        }

        return tx.Query($"SELECT * FROM orders WHERE dr_id = @id AND state IN {OrderBook.OpenSql}", Order.Read, ("@id", id));
    });

    /// <summary>How <paramref name="id"/> went so far.</summary>
    public DrReport? Report(long id) => db.Read(tx =>
    {
        DemandResponse? dr = Get(tx, id);
        if (dr is null)
        {
            return null;
        }

        var orders = tx.Query("SELECT state, reason, COUNT(*) AS n FROM orders WHERE dr_id = @id GROUP BY state, reason",
                r => (Key: r.String("state") + (r.Text("reason") is { } reason && r.String("state") != "active" ? " " + reason : ""), N: r.Int("n")), ("@id", id))
            .GroupBy(x => x.Key).ToDictionary(g => g.Key, g => g.Sum(x => x.N), StringComparer.Ordinal);
        long sign = dr.Down ? -1 : 1;
        long committed = sign * (tx.Long($"SELECT COALESCE(SUM(setpoint_w), 0) FROM orders WHERE dr_id = @id AND state IN {OrderBook.OpenSql}", ("@id", id)) ?? 0);
        long live = sign * (tx.Long(
            "SELECT COALESCE(SUM(s.power_w), 0) FROM charger_status s JOIN orders o ON o.id = s.dispatch_id WHERE o.dr_id = @id", ("@id", id)) ?? 0);
        string kind = dr.Down ? "aggregator-discharge" : "aggregator-charge";
        (long wh, int records) = tx.First(
            "SELECT COALESCE(SUM(r.wh), 0) AS wh, COUNT(*) AS n FROM ledger_records r JOIN orders o ON o.id = r.dispatch_id AND o.charger_id = r.charger_id WHERE o.dr_id = @id AND r.kind = @k",
            r => (r.Long("wh"), r.Int("n")), ("@id", id), ("@k", kind));
        return new DrReport(dr, orders, committed, live, wh, records);
    });

    internal static DemandResponse? Get(Tx tx, long id) => tx.First("SELECT * FROM demand_responses WHERE id = @id", DemandResponse.Read, ("@id", id));
}
