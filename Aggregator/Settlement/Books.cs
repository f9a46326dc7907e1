using ChargerFirmware.Aggregator.Storage;

namespace ChargerFirmware.Aggregator.Settlement;

/// <summary>Energy and money of a set of records: what the driver bought (charging) and sold (discharging for the aggregator).</summary>
public sealed record Totals(long ImportWh, long PurchaseMilli, long ExportWh, long EarningsMilli, int Records)
{
    /// <summary>Nothing.</summary>
    public static readonly Totals Zero = new(0, 0, 0, 0, 0);

    /// <summary>Earnings minus purchases, milli-currency.</summary>
    public long NetMilli => EarningsMilli - PurchaseMilli;

    /// <summary>Both added.</summary>
    public Totals Add(Totals o) => new(ImportWh + o.ImportWh, PurchaseMilli + o.PurchaseMilli, ExportWh + o.ExportWh, EarningsMilli + o.EarningsMilli, Records + o.Records);
}

/// <summary>The balance of a user over a period: all records, by settlement type and by vehicle.</summary>
public sealed record Balance(long FromMs, long ToMs, string Currency, Totals All, IReadOnlyDictionary<string, Totals> BySettlement,
    IReadOnlyList<VehicleTotals> ByVehicle);

/// <summary>One vehicle's share of a balance (VehicleId null: records of no registered vehicle).</summary>
public sealed record VehicleTotals(long? VehicleId, string Label, Totals All, IReadOnlyDictionary<string, Totals> BySettlement);

/// <summary>Energy by local month, day of week and hour of day, Wh.</summary>
public sealed record Usage(IReadOnlyList<UsageBucket> ByMonth, IReadOnlyList<UsageBucket> ByDayOfWeek, IReadOnlyList<UsageBucket> ByHour);

/// <summary>One bucket of <see cref="Usage"/>.</summary>
public sealed record UsageBucket(string Key, long ImportWh, long ExportWh, int Sessions);

/// <summary>A user's statement for one local month (money in milli-currency).</summary>
/// <param name="Month">"2027-01".</param>
/// <param name="Currency">The currency.</param>
/// <param name="Purchases">Everything charged (own charging and the aggregator's), whatever the settlement.</param>
/// <param name="Earnings">Discharges for the aggregator, by settlement type.</param>
/// <param name="OffsetCarriedIn">Offset credit left from earlier months.</param>
/// <param name="OffsetApplied">Offset credit set against this month's purchases.</param>
/// <param name="OffsetCarriedOut">Offset credit left for later months.</param>
/// <param name="AmountDueMilli">What the driver pays: purchases less the offset applied.</param>
/// <param name="PayoutMilli">What the aggregator pays the driver (earnings settled as payout).</param>
/// <param name="PointsEarned">Points credited this month (earnings settled as points at each record's rate).</param>
/// <param name="PointsRedeemed">Points redeemed this month.</param>
/// <param name="PointsBalance">Points left at the end of the month.</param>
/// <param name="Records">The month's records, oldest first.</param>
public sealed record Statement(string Month, string Currency, Totals Purchases, IReadOnlyDictionary<string, Totals> Earnings, long OffsetCarriedIn,
    long OffsetApplied, long OffsetCarriedOut, long AmountDueMilli, long PayoutMilli, long PointsEarned, long PointsRedeemed, long PointsBalance,
    IReadOnlyList<StatementLine> Records);

/// <summary>One record on a statement.</summary>
public sealed record StatementLine(string ChargerId, long RecordId, long StartMs, long EndMs, string Kind, long Wh, long? PriceMilli, long AmountMilli,
    string Settlement, string? Vehicle, string? DispatchId)
{
    /// <summary>Points credited for it, thousandths.</summary>
    public long PointsMilli { get; init; }
}

/// <summary>
/// The books of each user, from the ledger records attributed to them (by the phone answer, the
/// vehicle's EVCCID or the home charger). Purchases are charging records (own and the
/// aggregator's); earnings are the aggregator's discharges, settled as the driver chose for the
/// session:
/// <list type="bullet">
/// <item><b>offset</b>: a credit against the driver's purchases in the same month; what the
/// purchases do not use carries to the next month;</item>
/// <item><b>points</b>: <see cref="ServerSettings.PointsRateMilli"/> thousandths of a point per
/// currency unit (one point per JPY by default), each record at the rate of its day; redeemable;</item>
/// <item><b>payout</b>: paid to the driver, listed on the statement.</item>
/// </list>
/// Months, days and hours are local (<see cref="ServerSettings.UtcOffsetMinutes"/>), by each record's start.
/// Records whose price is unknown (a future contract's <c>price: null</c>) never enter a total.
/// </summary>
public sealed class Books(Database db, ServerSettings settings, Func<long> clock)
{
    private static readonly string[] Days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

    /// <summary>The balance of <paramref name="userId"/> over [<paramref name="fromMs"/>, <paramref name="toMs"/>).</summary>
    public Balance BalanceOf(long userId, long fromMs, long toMs) => db.Read(tx =>
    {
        List<(long? Vehicle, string Settlement, Totals Totals)> groups = tx.Query(
            """
            SELECT vehicle_ref, settlement,
              SUM(CASE WHEN kind <> 'aggregator-discharge' THEN wh ELSE 0 END) AS import_wh,
              SUM(CASE WHEN kind <> 'aggregator-discharge' THEN amount_milli ELSE 0 END) AS purchase_milli,
              SUM(CASE WHEN kind = 'aggregator-discharge' THEN wh ELSE 0 END) AS export_wh,
              SUM(CASE WHEN kind = 'aggregator-discharge' THEN amount_milli ELSE 0 END) AS earnings_milli,
              COUNT(*) AS records
            FROM ledger_records WHERE user_id = @u AND start_ms >= @from AND start_ms < @to AND price_milli IS NOT NULL
            GROUP BY vehicle_ref, settlement
            """,
            r => (r.LongOrNull("vehicle_ref"), r.String("settlement"),
                new Totals(r.Long("import_wh"), r.Long("purchase_milli"), r.Long("export_wh"), r.Long("earnings_milli"), r.Int("records"))),
            ("@u", userId), ("@from", fromMs), ("@to", toMs));
        Dictionary<long, string> labels = tx.Query("SELECT id, label FROM vehicles WHERE user_id = @u", r => (r.Long("id"), r.String("label")), ("@u", userId))
            .ToDictionary(v => v.Item1, v => v.Item2);
        var byVehicle = groups.GroupBy(g => g.Vehicle)
            .Select(v => new VehicleTotals(v.Key, v.Key is long id && labels.TryGetValue(id, out string? label) ? label : "(no registered vehicle)",
                Sum(v.Select(g => g.Totals)), BySettlement(v)))
            .OrderBy(v => v.VehicleId ?? long.MaxValue)
            .ToList();
        return new Balance(fromMs, toMs, settings.Currency, Sum(groups.Select(g => g.Totals)), BySettlement(groups), byVehicle);
    });

    /// <summary>Energy of <paramref name="userId"/> by local month, day of week and hour, over [<paramref name="fromMs"/>, <paramref name="toMs"/>).</summary>
    public Usage UsageOf(long userId, long fromMs, long toMs)
    {
        List<(long Start, string Kind, long Wh, string Session)> records = db.Read(tx => tx.Query(
            "SELECT start_ms, kind, wh, charger_id, session_id FROM ledger_records WHERE user_id = @u AND start_ms >= @from AND start_ms < @to",
            r => (r.Long("start_ms"), r.String("kind"), r.Long("wh"), r.String("charger_id") + "/" + r.String("session_id")),
            ("@u", userId), ("@from", fromMs), ("@to", toMs)));
        List<UsageBucket> Buckets(Func<DateTime, string> key, IEnumerable<string> order)
        {
            var groups = records.GroupBy(x => key(Local(x.Start))).ToDictionary(g => g.Key, g => g.ToList());
            return [.. order.Select(k => groups.TryGetValue(k, out var g)
                ? new UsageBucket(k, g.Where(x => x.Kind != "aggregator-discharge").Sum(x => x.Wh), g.Where(x => x.Kind == "aggregator-discharge").Sum(x => x.Wh), g.Select(x => x.Session).Distinct().Count())
                : new UsageBucket(k, 0, 0, 0))];
        }

        List<string> months = [.. records.Select(x => Month(Local(x.Start))).Distinct().Order(StringComparer.Ordinal)];
        return new Usage(
            Buckets(Month, months),
            Buckets(d => Days[((int)d.DayOfWeek + 6) % 7], Days),
            Buckets(d => d.Hour.ToString("D2", System.Globalization.CultureInfo.InvariantCulture), Enumerable.Range(0, 24).Select(h => h.ToString("D2", System.Globalization.CultureInfo.InvariantCulture))));
    }

    /// <summary>The months (local, "yyyy-MM") in which <paramref name="userId"/> has records, newest first.</summary>
    public List<string> Months(long userId) =>
        [.. db.Read(tx => tx.Query("SELECT start_ms FROM ledger_records WHERE user_id = @u", r => r.Long("start_ms"), ("@u", userId)))
            .Select(ms => Month(Local(ms))).Distinct().OrderDescending(StringComparer.Ordinal)];

    /// <summary>The statement of <paramref name="userId"/> for local month <paramref name="month"/> ("yyyy-MM").</summary>
    public Statement StatementOf(long userId, string month)
    {
        if (!DateTime.TryParseExact(month + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out DateTime first))
        {
            throw new FormatException("a month is yyyy-MM");
        }

        long end = MonthStartMs(first.AddMonths(1));
        List<StatementLine> lines = db.Read(tx => tx.Query(
            """
            SELECT r.*, v.label FROM ledger_records r LEFT JOIN vehicles v ON v.id = r.vehicle_ref
            WHERE r.user_id = @u AND r.start_ms < @end ORDER BY r.start_ms, r.charger_id, r.record_id
            """,
            r => new StatementLine(r.String("charger_id"), r.Long("record_id"), r.Long("start_ms"), r.Long("end_ms"), r.String("kind"), r.Long("wh"),
                r.LongOrNull("price_milli"), r.Long("amount_milli"), r.String("settlement"), r.Text("label"), r.Text("dispatch_id")) { PointsMilli = r.Long("points_milli") },
            ("@u", userId), ("@end", end)));
        List<(long At, long Points)> redemptions = db.Read(tx => tx.Query("SELECT at, points FROM points_redemptions WHERE user_id = @u AND at < @end",
            r => (r.Long("at"), r.Long("points")), ("@u", userId), ("@end", end)));

        // Walk the months from the first record so the offset credit carries correctly.
        long carried = 0;
        long pointsMilli = 0;
        var byMonth = lines.Where(l => l.PriceMilli is not null).GroupBy(l => Month(Local(l.StartMs))).ToDictionary(g => g.Key, g => g.ToList());
        foreach (string earlier in byMonth.Keys.Where(m => string.CompareOrdinal(m, month) < 0).Order(StringComparer.Ordinal))
        {
            carried = Offset(byMonth[earlier], carried).Left;
            pointsMilli += byMonth[earlier].Sum(l => l.PointsMilli);
        }

        long monthStart = MonthStartMs(first);
        long redeemedBefore = redemptions.Where(r => r.At < monthStart).Sum(r => r.Points);
        List<StatementLine> these = byMonth.GetValueOrDefault(month) ?? [];
        (long offsetApplied, long carriedOut) = Offset(these, carried);
        Totals purchases = Sum(these.Where(l => l.Kind != "aggregator-discharge").Select(ToTotals));
        var earnings = these.Where(l => l.Kind == "aggregator-discharge").GroupBy(l => l.Settlement)
            .ToDictionary(g => g.Key, g => Sum(g.Select(ToTotals)), StringComparer.Ordinal);
        long pointsBefore = (pointsMilli / 1000) - redeemedBefore;
        long earned = ((pointsMilli + these.Sum(l => l.PointsMilli)) / 1000) - (pointsMilli / 1000);
        long redeemed = redemptions.Where(r => r.At >= monthStart).Sum(r => r.Points);
        return new Statement(month, settings.Currency, purchases, earnings, carried, offsetApplied, carriedOut,
            purchases.PurchaseMilli - offsetApplied, earnings.GetValueOrDefault("payout", Totals.Zero).EarningsMilli,
            earned, redeemed, pointsBefore + earned - redeemed, [.. lines.Where(l => Month(Local(l.StartMs)) == month)]);
    }

    /// <summary>Points of <paramref name="userId"/>: earned, redeemed and left.</summary>
    public (long Earned, long Redeemed, long Balance) PointsOf(long userId) => db.Read(tx => PointsOf(tx, userId));

    /// <summary>Redeems <paramref name="points"/> (at most the balance); returns the balance left, or null when there are not enough.</summary>
    public long? Redeem(long userId, long points, string note)
    {
        if (points <= 0)
        {
            return null;
        }

        return db.Write(tx =>
        {
            // The user row serializes redemptions of one user across instances.
            tx.Long("SELECT id FROM users WHERE id = @u{forUpdate}", ("@u", userId));
            (_, _, long balance) = PointsOf(tx, userId);
            if (points > balance)
            {
                return (long?)null;
            }

            tx.Execute("INSERT INTO points_redemptions (user_id, at, points, note) VALUES (@u, @t, @p, @n)", ("@u", userId), ("@t", clock()), ("@p", points), ("@n", note));
            return balance - points;
        });
    }

    /// <summary>The local month "yyyy-MM" of <paramref name="utcMs"/>.</summary>
    public string MonthOf(long utcMs) => Month(Local(utcMs));

    /// <summary>The UTC start of local month <paramref name="month"/> ("yyyy-MM") and of the next, Unix ms.</summary>
    public (long From, long To) MonthRange(string month)
    {
        DateTime first = DateTime.ParseExact(month + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return (MonthStartMs(first), MonthStartMs(first.AddMonths(1)));
    }

    private static (long Earned, long Redeemed, long Balance) PointsOf(Tx tx, long userId)
    {
        long earned = (tx.Long("SELECT COALESCE(SUM(points_milli), 0) FROM ledger_records WHERE user_id = @u", ("@u", userId)) ?? 0) / 1000;
        long redeemed = tx.Long("SELECT COALESCE(SUM(points), 0) FROM points_redemptions WHERE user_id = @u", ("@u", userId)) ?? 0;
        return (earned, redeemed, earned - redeemed);
    }

    private static (long Applied, long Left) Offset(List<StatementLine> month, long carriedIn)
    {
        long credit = carriedIn + month.Where(l => l.Kind == "aggregator-discharge" && l.Settlement == "offset").Sum(l => l.AmountMilli);
        long purchases = month.Where(l => l.Kind != "aggregator-discharge").Sum(l => l.AmountMilli);
        long applied = Math.Min(credit, purchases);
        return (applied, credit - applied);
    }

    private static Totals ToTotals(StatementLine l) => l.Kind == "aggregator-discharge"
        ? new Totals(0, 0, l.Wh, l.AmountMilli, 1)
        : new Totals(l.Wh, l.AmountMilli, 0, 0, 1);

    private static Totals Sum(IEnumerable<Totals> totals) => totals.Aggregate(Totals.Zero, (a, b) => a.Add(b));

    private static Dictionary<string, Totals> BySettlement(IEnumerable<(long? Vehicle, string Settlement, Totals Totals)> groups) =>
        groups.GroupBy(g => g.Settlement).ToDictionary(g => g.Key, g => Sum(g.Select(x => x.Totals)), StringComparer.Ordinal);

    private DateTime Local(long utcMs) => DateTime.UnixEpoch.AddMilliseconds(utcMs + (settings.UtcOffsetMinutes * 60_000L));

    private long MonthStartMs(DateTime localFirst) => (long)(localFirst - DateTime.UnixEpoch).TotalMilliseconds - (settings.UtcOffsetMinutes * 60_000L);

    private static string Month(DateTime local) => local.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
}
