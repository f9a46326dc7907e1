using ChargerFirmware.Aggregator.Accounts;
using ChargerFirmware.Aggregator.Dispatch;
using ChargerFirmware.Aggregator.Ingest;
using ChargerFirmware.Aggregator.Storage;

namespace ChargerFirmware.Aggregator.Web;

/// <summary>The operator's sign-in.</summary>
public sealed record OperatorSignIn(string Key);

/// <summary>A demand response to declare: direction "up" or "down", kW, start (Unix ms; null: now), minutes, optional prices per kWh.</summary>
public sealed record DrRequest(string Direction, decimal Kw, long? Start, int Minutes, decimal? BasePrice, decimal? LimitPrice, decimal? StepPrice, string? Note);

/// <summary>A manual order to one charger (W, negative discharges).</summary>
public sealed record OrderRequest(string ChargerId, int SetpointW, int Minutes, decimal? BuyPrice, decimal? SellPrice);

/// <summary>Standing prices per kWh.</summary>
public sealed record TariffRequest(decimal BuyPrice, decimal SellPrice);

/// <summary>A charger's settings: its home owner and power limits.</summary>
public sealed record ChargerRequest(long? OwnerUserId, int? MaxChargeW, int? MaxDischargeW);

/// <summary>
/// The operator's API (<c>/api/operator/…</c>): the fleet, demand responses with their delivery
/// report, manual orders, standing prices, alarms and accounts. Signed in with the operator key
/// (printed at start), kept in an HttpOnly SameSite=Strict cookie.
/// </summary>
public static class OperatorApi
{
    /// <summary>The operator's cookie.</summary>
    public const string Cookie = "agg_operator";

    /// <summary>Maps the endpoints.</summary>
    public static void Map(WebApplication app, ServerOptions options, Database db, PlannerService planner)
    {
        var drs = new DemandResponses(db, options.Settings, options.Clock);
        var accounts = new AccountStore(db, options.Clock);
        // A key works for OperatorKeyMs after the start that made (or renewed) it: old printed keys lapse.
        bool Known(string? key) => !string.IsNullOrEmpty(key) && key.Length <= 200
            && db.Read(tx => tx.Long("SELECT 1 FROM operator_keys WHERE key_hash = @h AND created_at > @since",
                ("@h", Wire.Digest(key)), ("@since", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - options.Settings.OperatorKeyMs))) is not null;

        app.MapPost("/api/operator/signin", (OperatorSignIn r, HttpContext http) =>
        {
            if (!Known(r.Key))
            {
                return Results.Json(new { error = "wrong key" }, statusCode: 401);
            }

            http.Response.Cookies.Append(Cookie, r.Key, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps, Path = "/" });
            return Results.Ok();
        });

        RouteGroupBuilder op = app.MapGroup("/api/operator");
        op.AddEndpointFilter(async (context, next) =>
        {
            HttpRequest request = context.HttpContext.Request;
            if (request.Path.Value?.EndsWith("/signin", StringComparison.Ordinal) != true
                && !Known(request.Cookies[Cookie] ?? request.Headers["X-Operator-Key"].FirstOrDefault()))
            {
                return Results.Json(new { error = "operator key needed" }, statusCode: 401);
            }

            return await next(context).ConfigureAwait(false);
        });

        op.MapGet("/overview", () =>
        {
            long now = options.Clock();
            long wall = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            (long buy, long sell, long setAt) = Tariff.Current(db, options.Settings);
            return Results.Ok(db.Read(tx => new
            {
                now,
                options.Settings.Currency,
                utcOffsetMinutes = options.Settings.UtcOffsetMinutes,
                chargers = tx.Long("SELECT COUNT(*) FROM chargers"),
                online = tx.Long("SELECT COUNT(*) FROM chargers WHERE online = 1"),
                granted = tx.Long("SELECT COUNT(*) FROM chargers c JOIN charger_status s ON s.charger_id = c.id WHERE c.online = 1 AND s.consent = 'granted'"),
                users = tx.Long("SELECT COUNT(*) FROM users"),
                vehicles = tx.Long("SELECT COUNT(*) FROM vehicles"),
                ledgerRecords = tx.Long("SELECT COUNT(*) FROM ledger_records"),
                openAlarms = tx.Long("SELECT COUNT(*) FROM alarms WHERE resolved_at IS NULL"),
                tariff = new { buyPrice = WebHost.Price(buy), sellPrice = WebHost.Price(sell), setAt },
                instances = tx.Query("SELECT * FROM instances ORDER BY id", r => new
                {
                    id = r.String("id"),
                    description = r.String("description"),
                    alive = r.Long("heartbeat_at") > wall - 15_000,
                    secondsSinceHeartbeat = (wall - r.Long("heartbeat_at")) / 1000,
                }),
            }));
        });
        op.MapGet("/chargers", (int? limit) => Results.Ok(db.Read(tx => tx.Query(
            """
            SELECT c.*, s.state, s.consent, s.soc_pct, s.power_w, s.reason, s.dispatch_id, s.at, s.cond_min_sell_milli, s.cond_max_buy_milli,
              s.cond_kept_soc_pct, s.faults, u.display_name
            FROM chargers c LEFT JOIN charger_status s ON s.charger_id = c.id LEFT JOIN users u ON u.id = c.owner_user_id
            ORDER BY c.id LIMIT @n
            """,
            r => new
            {
                id = r.String("id"),
                online = r.Bool("online"),
                state = r.Text("state"),
                consent = r.Text("consent"),
                socPct = r.IntOrNull("soc_pct"),
                powerW = r.LongOrNull("power_w"),
                reason = r.Text("reason"),
                dispatchId = r.Text("dispatch_id"),
                statusAt = r.LongOrNull("at"),
                minSellPrice = WebHost.Price(r.LongOrNull("cond_min_sell_milli")),
                maxBuyPrice = WebHost.Price(r.LongOrNull("cond_max_buy_milli")),
                keptSocPct = r.IntOrNull("cond_kept_soc_pct"),
                faults = r.Text("faults"),
                owner = r.Text("display_name"),
                ledgerAckedUpTo = r.Long("ledger_acked_up_to"),
            }, ("@n", Math.Clamp(limit ?? 200, 1, 5000))))));
        op.MapPut("/chargers/{id}", (string id, ChargerRequest r) =>
        {
            try
            {
                Wire.TopicsOf(id);
            }
            catch (ArgumentException)
            {
                return WebHost.Bad("a charger id is 1..64 of A-Z a-z 0-9 . _ : -");
            }

            accounts.SetChargerOwner(id, r.OwnerUserId);
            accounts.SetChargerLimits(id, r.MaxChargeW, r.MaxDischargeW);
            return Results.Ok();
        });
        op.MapPost("/chargers/{id}/accept-gap", (string id) => Results.Ok(new
        {
            ackedUpTo = db.Write(tx =>
            {
                long mark = tx.Long("SELECT ledger_acked_up_to FROM chargers WHERE id = @c{forUpdate}", ("@c", id)) ?? 0;
                long next = tx.Long("SELECT MIN(record_id) FROM ledger_records WHERE charger_id = @c AND record_id > @m", ("@c", id), ("@m", mark)) ?? mark + 1;
                tx.Execute("UPDATE alarms SET resolved_at = @t, resolution = 'gap accepted by the operator' WHERE kind = @k AND charger_id = @c AND resolved_at IS NULL",
                    ("@t", options.Clock()), ("@k", LedgerIngest.GapAlarm), ("@c", id));
                return LedgerIngest.Advance(tx, id, next - 1);
            }),
        }));
        op.MapGet("/tariff", () =>
        {
            (long buy, long sell, long setAt) = Tariff.Current(db, options.Settings);
            return Results.Ok(new { buyPrice = WebHost.Price(buy), sellPrice = WebHost.Price(sell), setAt, options.Settings.Currency });
        });
        op.MapPut("/tariff", async (TariffRequest r) =>
        {
            try
            {
                Tariff.Set(db, options.Settings, WebHost.Milli(r.BuyPrice, "buy price")!.Value, WebHost.Milli(r.SellPrice, "sell price")!.Value, options.Clock());
            }
            catch (ArgumentOutOfRangeException e)
            {
                return WebHost.Bad(e.Message.Split(" (Parameter", StringSplitOptions.None)[0]);
            }

            List<string> online = db.Read(tx => tx.Query("SELECT id FROM chargers", x => x.String("id")));
            await planner.PublishPricesAsync(online).ConfigureAwait(false);
            return Results.Ok(new { published = online.Count });
        });
        op.MapGet("/drs", () => Results.Ok(drs.Latest(50).Select(d => DrView(drs.Report(d.Id)!))));
        op.MapGet("/drs/{id:long}", (long id) =>
        {
            DrReport? report = drs.Report(id);
            if (report is null)
            {
                return Results.NotFound();
            }

            return Results.Ok(new
            {
                dr = DrView(report),
                orders = db.Read(tx => tx.Query("SELECT * FROM orders WHERE dr_id = @id ORDER BY created_at, id", Order.Read, ("@id", id)))
                    .Select(o => new { o.Id, o.ChargerId, o.SetpointW, o.State, o.Reason, o.AppliedW, buyPrice = WebHost.Price(o.BuyMilli), sellPrice = WebHost.Price(o.SellMilli) }),
            });
        });
        op.MapPost("/drs", (DrRequest r) =>
        {
            try
            {
                if (r.Direction is not ("up" or "down"))
                {
                    return WebHost.Bad("direction is up (charge) or down (discharge)");
                }

                DemandResponse dr = drs.Declare(r.Direction == "down", (long)(r.Kw * 1000m), r.Start ?? options.Clock(), r.Minutes * 60,
                    WebHost.Milli(r.BasePrice, "base price"), WebHost.Milli(r.LimitPrice, "limit price"), WebHost.Milli(r.StepPrice, "price step"), r.Note ?? "");
                planner.Wake();
                return Results.Ok(DrView(drs.Report(dr.Id)!));
            }
            catch (ArgumentOutOfRangeException e)
            {
                return WebHost.Bad(e.Message.Split(" (Parameter", StringSplitOptions.None)[0]);
            }
        });
        op.MapPost("/drs/{id:long}/cancel", async (long id) =>
        {
            List<Order>? open = drs.Cancel(id);
            if (open is null)
            {
                return WebHost.Bad("that demand response is over or unknown");
            }

            await planner.CancelAsync(open).ConfigureAwait(false);
            return Results.Ok(new { cancelled = open.Count });
        });
        op.MapPost("/orders", async (OrderRequest r) =>
        {
            try
            {
                Order o = await planner.SendManualAsync(r.ChargerId, r.SetpointW, r.Minutes * 60, WebHost.Milli(r.BuyPrice, "buy price"), WebHost.Milli(r.SellPrice, "sell price")).ConfigureAwait(false);
                return Results.Ok(new { o.Id, o.ChargerId, o.SetpointW, o.State });
            }
            catch (ArgumentException e)
            {
                return WebHost.Bad(e.Message.Split(" (Parameter", StringSplitOptions.None)[0]);
            }
        });
        op.MapGet("/orders/{id}", (string id) => db.Read(tx => OrderBook.Get(tx, id)) is { } o
            ? Results.Ok(new { o.Id, o.ChargerId, o.SetpointW, o.State, o.Reason, o.AppliedW })
            : Results.NotFound());
        op.MapGet("/alarms", () => Results.Ok(db.Read(tx => tx.Query("SELECT * FROM alarms ORDER BY id DESC LIMIT 200", r => new
        {
            id = r.Long("id"),
            at = r.Long("at"),
            kind = r.String("kind"),
            chargerId = r.String("charger_id"),
            subject = r.String("subject"),
            detail = r.String("detail"),
            resolvedAt = r.LongOrNull("resolved_at"),
            resolution = r.Text("resolution"),
        }))));
        op.MapPost("/alarms/{id:long}/resolve", (long id) =>
        {
            db.Write(tx => tx.Execute("UPDATE alarms SET resolved_at = @t, resolution = 'looked at by the operator' WHERE id = @id AND resolved_at IS NULL", ("@t", options.Clock()), ("@id", id)));
            return Results.Ok();
        });
        op.MapGet("/users", () => Results.Ok(db.Read(tx => tx.Query(
            "SELECT u.id, u.display_name, u.settlement, (SELECT COUNT(*) FROM vehicles v WHERE v.user_id = u.id) AS vehicles FROM users u ORDER BY u.id LIMIT 500",
            r => new { id = r.Long("id"), name = r.String("display_name"), settlement = r.String("settlement"), vehicles = r.Long("vehicles") }))));
    }

    private static object DrView(DrReport r) => new
    {
        r.Dr.Id,
        r.Dr.Direction,
        kw = r.Dr.PowerW / 1000m,
        start = r.Dr.StartMs,
        minutes = r.Dr.DurationS / 60,
        r.Dr.State,
        r.Dr.Note,
        basePrice = WebHost.Price(r.Dr.BaseMilli),
        limitPrice = WebHost.Price(r.Dr.LimitMilli),
        price = WebHost.Price(r.Dr.PriceMilli),
        r.Dr.Currency,
        requestedWh = r.Dr.RequestedWh,
        deliveredWh = r.DeliveredWh,
        deliveredPct = Math.Round(r.DeliveredPct, 1),
        committedKw = r.CommittedW / 1000m,
        liveKw = r.LiveW / 1000m,
        r.LedgerRecords,
        orders = r.Orders,
    };
}
