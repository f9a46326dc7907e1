using System.Globalization;
using ChargerFirmware.Aggregator.Accounts;
using ChargerFirmware.Aggregator.Consent;
using ChargerFirmware.Aggregator.Ingest;
using ChargerFirmware.Aggregator.Storage;
using ChargerFirmware.Protocol.Messages;

namespace ChargerFirmware.Aggregator.Dispatch;

/// <summary>
/// The planner's loop in each instance (the seed's control unit). Every period, and at once when
/// woken (a demand response declared, an order answered, a charger online):
/// <list type="bullet">
/// <item>for each demand response due (its start less the lead time), it takes a lease on it in the
/// database (one instance plans a demand response at a time; the lease lapses when that instance
/// dies) and tops its orders up: shortfall = asked − what the open orders cover; the
/// <see cref="Planner"/> picks vehicles and the price; orders are stored, then published;</item>
/// <item>housekeeping, idempotent in any instance: orders stored but never published go out,
/// orders left unanswered are cancelled and given up (their power is re-planned), answers a phone
/// gave that never reached the broker are sent, standing prices are renewed, a ledger gap older
/// than its grace raises an alarm, and the instance's heartbeat is written.</item>
/// </list>
/// Business times (the demand response, the orders) follow the injected clock (the chargers'
/// time); leases and timeouts follow the wall clock, since they are about processes.
/// </summary>
public sealed class PlannerService : IAsyncDisposable
{
    private readonly Database _db;
    private readonly ServerSettings _settings;
    private readonly ChargerTraffic _traffic;
    private readonly ConsentRelay _relay;
    private readonly string _instanceId;
    private readonly Func<long> _clock;
    private readonly Action<string> _log;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<long, string> _lastSaid = [];
    private Task? _loop;

    /// <summary>The planner of instance <paramref name="instanceId"/>.</summary>
    public PlannerService(Database db, ServerSettings settings, ChargerTraffic traffic, ConsentRelay relay, string instanceId, Func<long> clock, Action<string> log)
    {
        _db = db;
        _settings = settings;
        _traffic = traffic;
        _relay = relay;
        _instanceId = instanceId;
        _clock = clock;
        _log = log;
    }

    /// <summary>Rounds of the loop so far.</summary>
    public long Rounds => Interlocked.Read(ref _rounds);

    private long _rounds;

    /// <summary>Starts the loop.</summary>
    public void Start() => _loop = Task.Run(LoopAsync);

    /// <summary>Runs a round soon (thread-safe, cheap).</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already due.
        }
    }

    /// <summary>One round now (the loop's body; public for tests that step it themselves).</summary>
    public async Task RoundAsync()
    {
        long now = _clock();
        long wall = Wall();
        _db.Write(tx => tx.Execute(
            """
            INSERT INTO instances (id, started_at, heartbeat_at, description) VALUES (@id, @w, @w, @d)
            ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at
            """,
            ("@id", _instanceId), ("@w", wall), ("@d", Environment.MachineName + " pid " + Environment.ProcessId.ToString(CultureInfo.InvariantCulture))));
        await HousekeepAsync(now, wall).ConfigureAwait(false);
        List<long> due = _db.Read(tx => tx.Query("SELECT id FROM demand_responses WHERE state IN ('scheduled', 'active') AND start_ms - @lead <= @now ORDER BY id",
            r => r.Long("id"), ("@lead", _settings.LeadMs), ("@now", now)));
        foreach (long id in due)
        {
            if (TryLease(id, wall))
            {
                await StepAsync(id, _clock(), wall).ConfigureAwait(false);
            }
        }

        Interlocked.Increment(ref _rounds);
    }

    /// <summary>Publishes the standing prices to <paramref name="chargerIds"/> (retained) and notes when.</summary>
    public async Task PublishPricesAsync(IEnumerable<string> chargerIds)
    {
        long now = _clock();
        foreach (string chargerId in chargerIds)
        {
            if (await PublishPricesOnlyAsync(chargerId, now).ConfigureAwait(false))
            {
                _db.Write(tx => tx.Execute("UPDATE chargers SET prices_sent_at = @t WHERE id = @c", ("@t", now), ("@c", chargerId)));
            }
        }
    }

    private Task<bool> PublishPricesOnlyAsync(string chargerId, long now)
    {
        (long buy, long sell, _) = Tariff.Current(_db, _settings);
        return _traffic.PublishAsync(chargerId, Tariff.Message(buy, sell, _settings.Currency, now));
    }

    /// <summary>
    /// Publishes the standing prices to those of <paramref name="chargerIds"/> that have none younger
    /// than <paramref name="olderThan"/> (Unix ms). Each charger is claimed in the database first, so
    /// the coming-online hook and the planner's renewal (or two instances) never both send them.
    /// </summary>
    public async Task RenewPricesAsync(IEnumerable<string> chargerIds, long olderThan)
    {
        long now = _clock();
        foreach (string chargerId in chargerIds)
        {
            long? before = _db.Write<long?>(tx =>
            {
                long? last = tx.Long("SELECT COALESCE(prices_sent_at, -1) FROM chargers WHERE id = @c", ("@c", chargerId));
                return last is long l && l < olderThan
                    && tx.Execute("UPDATE chargers SET prices_sent_at = @t WHERE id = @c AND COALESCE(prices_sent_at, -1) = @l", ("@t", now), ("@c", chargerId), ("@l", l)) == 1
                    ? l : null;
            });
            if (before is long previous && !await PublishPricesOnlyAsync(chargerId, now).ConfigureAwait(false))
            {
                // Not sent: released for the next round.
                _db.Write(tx => tx.Execute("UPDATE chargers SET prices_sent_at = @p WHERE id = @c AND prices_sent_at = @t",
                    ("@p", previous < 0 ? null : previous), ("@c", chargerId), ("@t", now)));
            }
        }
    }

    /// <summary>Sends a manual order (no demand response) to one charger; a price not given is the standing one. Returns it.</summary>
    public async Task<Order> SendManualAsync(string chargerId, int setpointW, int durationS, long? buyMilli, long? sellMilli)
    {
        Wire.TopicsOf(chargerId); // throws ArgumentException for an id the contract refuses
        long now = _clock();
        (long standingBuy, long standingSell, _) = Tariff.Current(_db, _settings);
        Order order = _db.Write(tx => OrderBook.Create(tx, null, chargerId, setpointW, now, durationS, buyMilli ?? standingBuy, sellMilli ?? standingSell,
            _settings.Currency, null, now));
        await PublishAsync(order).ConfigureAwait(false);
        return order;
    }

    /// <summary>Cancels <paramref name="orders"/> at their chargers.</summary>
    public async Task CancelAsync(IEnumerable<Order> orders)
    {
        foreach (Order order in orders)
        {
            await _traffic.PublishAsync(order.ChargerId, new DispatchCancelMessage { Id = order.Id }).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _db.Write(tx => tx.Execute("UPDATE demand_responses SET lease_owner = NULL, lease_until = 0 WHERE lease_owner = @me", ("@me", _instanceId)));
        _stop.Dispose();
        _wake.Dispose();
    }

    private static long Wall() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await RoundAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
            {
                _log($"planner   | round failed, retrying next period: {e.Message}");
            }

            try
            {
                await _wake.WaitAsync(_settings.PlannerPeriodMs, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private bool TryLease(long id, long wall) => _db.Write(tx => tx.Execute(
        "UPDATE demand_responses SET lease_owner = @me, lease_until = @until WHERE id = @id AND (lease_owner IS NULL OR lease_owner = @me OR lease_until < @wall)",
        ("@me", _instanceId), ("@until", wall + _settings.LeaseMs), ("@id", id), ("@wall", wall)) == 1);

    private async Task StepAsync(long id, long now, long wall)
    {
        DemandResponse? dr = _db.Read(tx => DemandResponses.Get(tx, id));
        if (dr is null || dr.State is not ("scheduled" or "active"))
        {
            return;
        }

        if (now >= dr.EndMs)
        {
            _db.Write(tx => tx.Execute("UPDATE demand_responses SET state = 'done', lease_owner = NULL WHERE id = @id AND state IN ('scheduled', 'active')", ("@id", id)));
            DrReport? report = new DemandResponses(_db, _settings, _clock).Report(id);
            _log($"planner   | demand response #{id} over: {report?.DeliveredWh ?? 0} Wh recorded so far of {dr.RequestedWh} Wh asked");
            return;
        }

        long startAt = Math.Max(dr.StartMs, now);
        int durationS = (int)((dr.EndMs - startAt) / 1000);
        if (durationS < 60)
        {
            return; // too little left to be worth an order
        }

        List<Order> orders = _db.Read(tx => tx.Query("SELECT * FROM orders WHERE dr_id = @id", Order.Read, ("@id", id)));
        long committed = orders.Where(o => OrderBook.Open.Contains(o.State) && o.EndMs > now).Sum(o => (long)Math.Abs(o.SetpointW));
        long shortfall = dr.PowerW - committed;
        if (shortfall < _settings.MinOrderW)
        {
            MarkActive(dr, now);
            return;
        }

        HashSet<string> used = [.. orders.Select(o => o.ChargerId)];
        List<Candidate> candidates = [.. Candidates(dr.Down, now, startAt, dr.EndMs).Where(c => !used.Contains(c.ChargerId))];
        Plan plan = Planner.Make(dr.Down, shortfall, durationS, dr.BaseMilli, dr.LimitMilli, dr.StepMilli, dr.PriceMilli, candidates,
            _settings.EnergyMarginPermille, _settings.MinOrderW);
        // Both prices go with every order: the asked direction's from the plan, the other the standing
        // one, so a watt-hour flowing the other way during a ramp is priced too.
        (long standingBuy, long standingSell, _) = Tariff.Current(_db, _settings);
        long buy = dr.Down ? standingBuy : plan.PriceMilli;
        long sell = dr.Down ? plan.PriceMilli : standingSell;
        List<Order> created = _db.Write(tx =>
        {
            var made = new List<Order>();
            // The price offered is the price of orders actually sent: a round that finds nobody leaves it
            // where it was, so a moment with no free vehicle does not push it to the limit for good.
            tx.Execute("UPDATE demand_responses SET price_milli = CASE WHEN @picked = 1 THEN @p ELSE price_milli END, planned_at = @t, state = CASE WHEN @t >= start_ms THEN 'active' ELSE state END WHERE id = @id",
                ("@picked", plan.Picks.Count > 0), ("@p", plan.PriceMilli), ("@t", now), ("@id", id));
            foreach (Pick pick in plan.Picks)
            {
                made.Add(OrderBook.Create(tx, id, pick.Vehicle.ChargerId, pick.SetpointW, startAt, durationS, buy, sell, dr.Currency, pick.Vehicle.UserId, now));
            }

            foreach (Order o in made)
            {
                tx.Execute("UPDATE orders SET sent_wall_ms = @w WHERE id = @id", ("@w", wall), ("@id", o.Id));
            }

            return made;
        });
        string said = $"planner   | demand response #{id} ({dr.Direction} {dr.PowerW / 1000.0:0.#} kW): short {shortfall / 1000.0:0.#} kW, " +
            $"{candidates.Count} vehicles free, {created.Count} orders at {Wire.Money(plan.PriceMilli)} {dr.Currency}/kWh cover {plan.PlannedW / 1000.0:0.#} kW" +
            (plan.ShortfallW > 0 ? $", {plan.ShortfallW / 1000.0:0.#} kW still missing" : "");
        if (created.Count > 0 || _lastSaid.GetValueOrDefault(id) != said)
        {
            _lastSaid[id] = said; // a shortfall nobody can cover is said once, not every round
            _log(said);
        }

        await Task.WhenAll(created.Select(PublishAsync)).ConfigureAwait(false);
    }

    private void MarkActive(DemandResponse dr, long now)
    {
        if (dr.State == "scheduled" && now >= dr.StartMs)
        {
            _db.Write(tx => tx.Execute("UPDATE demand_responses SET state = 'active' WHERE id = @id AND state = 'scheduled'", ("@id", dr.Id)));
        }
    }

    private async Task PublishAsync(Order order)
    {
        if (await _traffic.PublishAsync(order.ChargerId, order.ToMessage(_clock())).ConfigureAwait(false))
        {
            _db.Write(tx => OrderBook.MarkSent(tx, order.Id, Wall()));
        }
    }

    // The vehicles that may take an order over [start, end): online, consent granted, no fault, a
    // fresh status with a fresh SOC, no open order, in the charger's window and the driver's.
    private List<Candidate> Candidates(bool down, long now, long startMs, long endMs)
    {
        var windows = _db.Read(tx => tx.Query("SELECT * FROM user_windows", r => (User: r.Long("user_id"), Window: new DriverWindow(r.Int("days_mask"), r.Int("start_min"), r.Int("end_min")))))
            .GroupBy(x => x.User).ToDictionary(g => g.Key, g => g.Select(x => x.Window).ToList());
        var users = _db.Read(tx => tx.Query("SELECT id, cond_preset, cond_min_sell_milli, cond_max_buy_milli, cond_kept_soc_pct, cond_delegated FROM users",
                r => (Id: r.Long("id"), Conditions: new DriverConditions(r.Text("cond_preset"), r.LongOrNull("cond_min_sell_milli"), r.LongOrNull("cond_max_buy_milli"),
                    r.IntOrNull("cond_kept_soc_pct"), r.Bool("cond_delegated")))))
            .ToDictionary(x => x.Id, x => Resolve(x.Conditions));
        return _db.Read(tx => tx.Query(
            $"""
            SELECT c.id, c.max_charge_w, c.max_discharge_w, s.*, se.user_id AS session_user, v.id AS vehicle, v.user_id AS vehicle_user, v.capacity_wh
            FROM chargers c
            JOIN charger_status s ON s.charger_id = c.id
            LEFT JOIN sessions se ON se.charger_id = c.id AND se.ended_at IS NULL AND se.plugged_at IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM sessions later WHERE later.charger_id = c.id AND later.plugged_at > se.plugged_at)
            LEFT JOIN vehicles v ON v.id = se.vehicle_ref OR (se.vehicle_ref IS NULL AND v.evcc_id = se.evcc_id)
            WHERE c.online = 1 AND s.consent = 'granted' AND s.faults = '' AND s.soc_pct IS NOT NULL
              AND s.state IN ('ready', 'charging', 'discharging', 'paused') AND s.at >= @fresh AND COALESCE(s.soc_age_s, 0) <= @socAge
              AND COALESCE(s.cond_in_window, 1) = 1
              AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.charger_id = c.id AND o.state IN {OrderBook.OpenSql} AND o.start_ms + o.duration_s * 1000 > @now)
            ORDER BY c.id
            """,
            r =>
            {
                long? user = r.LongOrNull("session_user") ?? r.LongOrNull("vehicle_user");
                // The charger's resolved values when its status carries them, else its preset's, else what the driver stored here.
                DriverConditions? preset = r.Text("cond_preset") is { } name && AccountStore.PresetValues.TryGetValue(name, out DriverConditions? values) ? values : null;
                DriverConditions? stored = user is long u ? users.GetValueOrDefault(u) : null;
                int? kept = r.IntOrNull("cond_kept_soc_pct") ?? preset?.KeptSocPct ?? stored?.KeptSocPct;
                long? minSell = r.LongOrNull("cond_min_sell_milli") ?? preset?.MinSellMilli ?? stored?.MinSellMilli;
                long? maxBuy = r.LongOrNull("cond_max_buy_milli") ?? preset?.MaxBuyMilli ?? stored?.MaxBuyMilli;
                bool delegated = r.LongOrNull("cond_delegated") is long d ? d == 1 : preset?.Delegated ?? stored?.Delegated ?? false;
                bool inWindows = user is not long id || !windows.TryGetValue(id, out List<DriverWindow>? w) || DriverWindows.Cover(w, startMs, endMs, _settings.UtcOffsetMinutes);
                if ((down && kept is null) || !inWindows)
                {
                    return null; // the floor cannot be proved, or the driver's windows exclude the order
                }

                return new Candidate(r.String("id"), user, r.Int("soc_pct"), kept ?? 0, r.LongOrNull("capacity_wh") ?? _settings.AssumedCapacityWh,
                    (int)(down ? r.LongOrNull("max_discharge_w") ?? _settings.AssumedChargerW : r.LongOrNull("max_charge_w") ?? _settings.AssumedChargerW),
                    minSell, maxBuy, delegated);
            },
            ("@fresh", now - _settings.StatusMaxAgeMs), ("@socAge", _settings.SocMaxAgeS), ("@now", now)))
            .OfType<Candidate>().ToList();
    }

    // A driver's stored conditions as values (a preset by its built-in values).
    private static DriverConditions Resolve(DriverConditions c) =>
        c.Preset is { } name && AccountStore.PresetValues.TryGetValue(name, out DriverConditions? values) ? values : c;

    private async Task HousekeepAsync(long now, long wall)
    {
        // Orders stored but not published (an instance died in between, or the broker was away).
        List<Order> unsent = _db.Read(tx => tx.Query("SELECT * FROM orders WHERE state = 'planned' AND COALESCE(sent_wall_ms, 0) < @w",
            Order.Read, ("@w", wall - 5_000)));
        foreach (Order order in unsent.Where(o => o.EndMs > now))
        {
            await PublishAsync(order).ConfigureAwait(false);
        }

        // Orders nobody answered: given up and cancelled, so their power is planned again elsewhere.
        List<Order> silent = _db.Write(tx =>
        {
            List<Order> late = tx.Query("SELECT * FROM orders WHERE state = 'sent' AND sent_wall_ms < @w", Order.Read, ("@w", wall - _settings.AckTimeoutMs));
            foreach (Order o in late)
            {
                tx.Execute("UPDATE orders SET state = 'unanswered', reason = 'no-answer' WHERE id = @id AND state = 'sent'", ("@id", o.Id));
            }

            return late;
        });
        await CancelAsync(silent).ConfigureAwait(false);

        await _relay.ResendUnpublishedAsync().ConfigureAwait(false);

        List<string> stale = _db.Read(tx => tx.Query("SELECT id FROM chargers WHERE online = 1 AND (prices_sent_at IS NULL OR prices_sent_at < @t)",
            r => r.String("id"), ("@t", now - Tariff.RenewMs)));
        await RenewPricesAsync(stale, now - Tariff.RenewMs).ConfigureAwait(false);

        _db.Write(tx =>
        {
            foreach ((string charger, long mark, long next) in tx.Query(
                "SELECT c.id, c.ledger_acked_up_to, MIN(r.record_id) AS next FROM chargers c JOIN ledger_records r ON r.charger_id = c.id AND r.record_id > c.ledger_acked_up_to GROUP BY c.id, c.ledger_acked_up_to HAVING MIN(r.received_at) < @t",
                r => (r.String("id"), r.Long("ledger_acked_up_to"), r.Long("next")), ("@t", now - _settings.LedgerGapAlarmMs)))
            {
                if (next > mark + 1)
                {
                    Alarms.Raise(tx, now, LedgerIngest.GapAlarm, charger, (mark + 1).ToString(CultureInfo.InvariantCulture), "",
                        $"records #{mark + 1}..#{next - 1} never arrived while #{next} and later did; the charger is acknowledged up to #{mark} until they arrive or an operator accepts the gap");
                }
            }
        });
    }
}
