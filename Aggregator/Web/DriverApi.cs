using ChargerFirmware.Aggregator.Accounts;
using ChargerFirmware.Aggregator.Consent;
using ChargerFirmware.Aggregator.Settlement;
using ChargerFirmware.Aggregator.Storage;

namespace ChargerFirmware.Aggregator.Web;

/// <summary>Sign-up: the name the driver goes by.</summary>
public sealed record SignUpRequest(string Name, string? Phone);

/// <summary>Joining an account from another phone.</summary>
public sealed record PairRequest(string Code, string? Phone);

/// <summary>A vehicle to register (capacity in kWh).</summary>
public sealed record VehicleRequest(string Label, string? EvccId, string? Registration, decimal? CapacityKwh);

/// <summary>Conditions: a preset, or explicit values (prices per kWh).</summary>
public sealed record ConditionsRequest(string? Preset, decimal? MinSellPrice, decimal? MaxBuyPrice, int? KeptSocPct, bool? Delegated);

/// <summary>A weekly window: days 0 (Monday) … 6 (Sunday), local "HH:mm" start and end.</summary>
public sealed record WindowRequest(int[] Days, string Start, string End);

/// <summary>The settlement choice.</summary>
public sealed record SettlementRequest(string Settlement);

/// <summary>"I am at this charger".</summary>
public sealed record ClaimRequest(string ChargerId);

/// <summary>The driver's answer to a consent question.</summary>
public sealed record AnswerRequest(bool Allow, long? VehicleId);

/// <summary>Points to redeem.</summary>
public sealed record RedeemRequest(long Points, string? Note);

/// <summary>
/// The driver's phone API (<c>/api/me/…</c>). A phone is signed in by an HttpOnly, SameSite=Strict
/// cookie holding its random token; every query is scoped to that token's user, so no driver can
/// read or answer another's data. Requests with a body must be JSON (a cross-site form cannot send
/// one), which with the SameSite cookie keeps other sites from acting for the driver.
/// </summary>
public static class DriverApi
{
    /// <summary>The phone's cookie.</summary>
    public const string Cookie = "agg_phone";

    /// <summary>Maps the endpoints.</summary>
    public static void Map(WebApplication app, ServerOptions options, Database db, ConsentRelay relay)
    {
        var accounts = new AccountStore(db, options.Clock);
        var books = new Books(db, options.Settings, options.Clock);
        int offset = options.Settings.UtcOffsetMinutes;

        app.MapPost("/api/signup", (SignUpRequest r, HttpContext http) => Guard(() =>
        {
            (long _, string token) = accounts.SignUp(r.Name, r.Phone ?? http.Request.Headers.UserAgent.ToString());
            SetCookie(http, token);
            return Results.Ok(new { signedIn = true });
        }));
        app.MapPost("/api/pair", (PairRequest r, HttpContext http) =>
        {
            string? token = accounts.Pair(r.Code ?? "", r.Phone ?? http.Request.Headers.UserAgent.ToString());
            if (token is null)
            {
                return WebHost.Bad("that code is wrong or used up: make a new one on your other phone");
            }

            SetCookie(http, token);
            return Results.Ok(new { signedIn = true });
        });

        RouteGroupBuilder me = app.MapGroup("/api/me");
        me.AddEndpointFilter(async (context, next) =>
        {
            long? user = accounts.UserOf(context.HttpContext.Request.Cookies[Cookie]);
            if (user is null)
            {
                return Results.Json(new { error = "not signed in" }, statusCode: 401);
            }

            context.HttpContext.Items["user"] = user.Value;
            return await next(context).ConfigureAwait(false);
        });

        me.MapGet("", (HttpContext http) =>
        {
            long user = UserOf(http);
            Account a = accounts.Get(user);
            (long earned, long redeemed, long balance) = books.PointsOf(user);
            return Results.Ok(new
            {
                a.Id,
                a.Name,
                a.Settlement,
                conditions = new
                {
                    a.Conditions.Preset,
                    minSellPrice = WebHost.Price(a.Conditions.MinSellMilli),
                    maxBuyPrice = WebHost.Price(a.Conditions.MaxBuyMilli),
                    keptSocPct = a.Conditions.KeptSocPct,
                    delegated = a.Conditions.Delegated,
                },
                windows = a.Windows.Select(w => new { days = Enumerable.Range(0, 7).Where(d => (w.DaysMask & (1 << d)) != 0).ToArray(), start = Hhmm(w.StartMin), end = Hhmm(w.EndMin) }),
                vehicles = accounts.Vehicles(user).Select(v => new { v.Id, v.Label, v.EvccId, v.Registration, capacityKwh = v.CapacityWh / 1000m }),
                points = new { earned, redeemed, balance },
                presets = AccountStore.Presets,
                currency = options.Settings.Currency,
                utcOffsetMinutes = offset,
                pointsPerUnit = options.Settings.PointsRateMilli / 1000m,
                now = options.Clock(),
            });
        });
        me.MapPost("/signout", (HttpContext http) =>
        {
            accounts.SignOut(http.Request.Cookies[Cookie]!);
            http.Response.Cookies.Delete(Cookie);
            return Results.Ok();
        });
        me.MapPost("/pairing-code", (HttpContext http) => Results.Ok(new { code = accounts.NewPairingCode(UserOf(http)), minutes = 10 }));
        me.MapPost("/vehicles", (VehicleRequest r, HttpContext http) => Guard(() =>
        {
            Vehicle v = accounts.AddVehicle(UserOf(http), r.Label, r.EvccId, r.Registration, r.CapacityKwh is decimal kwh ? (long)(kwh * 1000m) : null);
            return Results.Ok(new { v.Id, v.Label, v.EvccId, v.Registration, capacityKwh = v.CapacityWh / 1000m });
        }));
        me.MapDelete("/vehicles/{id:long}", (long id, HttpContext http) =>
            accounts.RemoveVehicle(UserOf(http), id) ? Results.Ok() : WebHost.Bad("that vehicle has records and stays registered"));
        me.MapPut("/conditions", (ConditionsRequest r, HttpContext http) => Guard(() =>
        {
            accounts.SetConditions(UserOf(http), string.IsNullOrEmpty(r.Preset)
                ? new DriverConditions(null, WebHost.Milli(r.MinSellPrice, "minimum sell price"), WebHost.Milli(r.MaxBuyPrice, "maximum buy price"), r.KeptSocPct, r.Delegated ?? false)
                : new DriverConditions(r.Preset, null, null, null, false));
            return Results.Ok();
        }));
        me.MapPut("/windows", (WindowRequest[] windows, HttpContext http) => Guard(() =>
        {
            accounts.SetWindows(UserOf(http), [.. windows.Select(w => new DriverWindow(
                (w.Days ?? []).Where(d => d is >= 0 and < 7).Aggregate(0, (mask, d) => mask | (1 << d)), Minutes(w.Start), Minutes(w.End)))]);
            return Results.Ok();
        }));
        me.MapPut("/settlement", (SettlementRequest r, HttpContext http) => Guard(() =>
        {
            accounts.SetSettlement(UserOf(http), r.Settlement);
            return Results.Ok();
        }));
        me.MapGet("/prompts", (HttpContext http) => Results.Ok(relay.OpenFor(UserOf(http)).Select(p => PromptView(p, options.Clock()))));
        me.MapPost("/claim", (ClaimRequest r, HttpContext http) =>
            relay.Claim(UserOf(http), (r.ChargerId ?? "").Trim()) is { } p
                ? Results.Ok(PromptView(p, options.Clock()))
                : WebHost.Bad("no question is waiting at that charger: check its number, or plug in again"));
        me.MapPost("/prompts/{id:long}/answer", async (long id, AnswerRequest r, HttpContext http) =>
            await relay.AnswerAsync(UserOf(http), id, r.Allow, r.VehicleId).ConfigureAwait(false) is { } refusal ? WebHost.Bad(refusal) : Results.Ok());
        me.MapGet("/balance", (string? from, string? to, HttpContext http) =>
        {
            long now = options.Clock();
            (long monthFrom, _) = books.MonthRange(books.MonthOf(now));
            long f = WebHost.Day(from, monthFrom, offset);
            long t = WebHost.Day(to, now - (now % 86_400_000) + (2 * 86_400_000L), offset);
            return Results.Ok(Money(books.BalanceOf(UserOf(http), f, t)));
        });
        me.MapGet("/usage", (string? from, string? to, HttpContext http) =>
            Results.Ok(books.UsageOf(UserOf(http), WebHost.Day(from, 0, offset), WebHost.Day(to, long.MaxValue / 2, offset))));
        me.MapGet("/statements", (HttpContext http) => Results.Ok(books.Months(UserOf(http))));
        me.MapGet("/statements/{month}", (string month, HttpContext http) => Guard(() => Results.Ok(StatementView(books.StatementOf(UserOf(http), month)))));
        me.MapPost("/points/redeem", (RedeemRequest r, HttpContext http) =>
            books.Redeem(UserOf(http), r.Points, string.IsNullOrWhiteSpace(r.Note) ? "redeemed on the phone" : r.Note.Trim()) is long left
                ? Results.Ok(new { balance = left })
                : WebHost.Bad("not that many points"));
        me.MapGet("/sessions", (HttpContext http) => Results.Ok(db.Read(tx => tx.Query(
            """
            SELECT se.*, v.label FROM sessions se LEFT JOIN vehicles v ON v.id = se.vehicle_ref
            WHERE se.user_id = @u OR se.vehicle_ref IN (SELECT id FROM vehicles WHERE user_id = @u)
              OR se.evcc_id IN (SELECT evcc_id FROM vehicles WHERE user_id = @u)
            ORDER BY COALESCE(se.plugged_at, 0) DESC LIMIT 50
            """,
            r => new
            {
                chargerId = r.String("charger_id"),
                sessionId = r.String("session_id"),
                vehicle = r.Text("label"),
                pluggedAt = r.LongOrNull("plugged_at"),
                endedAt = r.LongOrNull("ended_at"),
                importWh = r.LongOrNull("import_wh"),
                exportWh = r.LongOrNull("export_wh"),
                net = WebHost.Price(r.LongOrNull("net_milli")),
                settlement = r.Text("settlement"),
            }, ("@u", UserOf(http))))));
    }

    /// <summary>The balance with money as decimals.</summary>
    public static object Money(Balance b) => new
    {
        from = b.FromMs,
        to = b.ToMs,
        b.Currency,
        all = Totals(b.All),
        bySettlement = b.BySettlement.ToDictionary(x => x.Key, x => Totals(x.Value)),
        byVehicle = b.ByVehicle.Select(v => new { v.VehicleId, v.Label, all = Totals(v.All), bySettlement = v.BySettlement.ToDictionary(x => x.Key, x => Totals(x.Value)) }),
    };

    /// <summary>The statement with money as decimals.</summary>
    public static object StatementView(Statement s) => new
    {
        s.Month,
        s.Currency,
        purchases = Totals(s.Purchases),
        earnings = s.Earnings.ToDictionary(x => x.Key, x => Totals(x.Value)),
        offsetCarriedIn = WebHost.Price(s.OffsetCarriedIn),
        offsetApplied = WebHost.Price(s.OffsetApplied),
        offsetCarriedOut = WebHost.Price(s.OffsetCarriedOut),
        amountDue = WebHost.Price(s.AmountDueMilli),
        payout = WebHost.Price(s.PayoutMilli),
        s.PointsEarned,
        s.PointsRedeemed,
        s.PointsBalance,
        records = s.Records.Select(l => new
        {
            l.ChargerId,
            l.RecordId,
            start = l.StartMs,
            end = l.EndMs,
            l.Kind,
            l.Wh,
            price = WebHost.Price(l.PriceMilli),
            amount = WebHost.Price(l.AmountMilli),
            l.Settlement,
            l.Vehicle,
            l.DispatchId,
        }),
    };

    private static object Totals(Totals t) => new
    {
        t.ImportWh,
        purchases = WebHost.Price(t.PurchaseMilli),
        t.ExportWh,
        earnings = WebHost.Price(t.EarningsMilli),
        net = WebHost.Price(t.NetMilli),
        t.Records,
    };

    private static object PromptView(Prompt p, long now) => new
    {
        p.Id,
        p.ChargerId,
        vehicle = p.EvccId,
        buyPrice = WebHost.Price(p.BuyMilli),
        sellPrice = WebHost.Price(p.SellMilli),
        p.Currency,
        p.Deadline,
        secondsLeft = Math.Max(0, (p.Deadline - now) / 1000),
        p.RoutedBy,
    };

    private static long UserOf(HttpContext http) => (long)http.Items["user"]!;

    private static IResult Guard(Func<IResult> work)
    {
        try
        {
            return work();
        }
        catch (Exception e) when (e is AccountException or ArgumentException or FormatException)
        {
            return WebHost.Bad(e.Message.Split(" (Parameter", StringSplitOptions.None)[0]);
        }
    }

    private static void SetCookie(HttpContext http, string token) => http.Response.Cookies.Append(Cookie, token, new CookieOptions
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = http.Request.IsHttps,
        MaxAge = TimeSpan.FromDays(365),
        Path = "/",
    });

    private static string Hhmm(int minutes) => $"{minutes / 60:D2}:{minutes % 60:D2}";

    private static int Minutes(string? hhmm) =>
        TimeOnly.TryParseExact(hhmm, "HH:mm", out TimeOnly t) ? (t.Hour * 60) + t.Minute
        : hhmm == "24:00" ? 1440
        : throw new FormatException($"'{hhmm}' is not a time HH:mm");
}
