using System.Globalization;
using System.Reflection;
using ChargerFirmware.Aggregator.Consent;
using ChargerFirmware.Aggregator.Dispatch;
using ChargerFirmware.Aggregator.Storage;

namespace ChargerFirmware.Aggregator.Web;

/// <summary>
/// The web side: the driver's phone page at <c>/</c>, the operator's page at <c>/operator</c>,
/// their JSON APIs under <c>/api/me</c> and <c>/api/operator</c>, and the static files the pages
/// use (embedded in the assembly, so the server runs from any folder).
/// </summary>
public static class WebHost
{
    /// <summary>Builds the web application (not started) for <paramref name="options"/>.</summary>
    public static WebApplication Build(ServerOptions options, Database db, ConsentRelay relay, PlannerService planner)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(options.Url);
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase);
        WebApplication app = builder.Build();
        app.Use(async (context, next) =>
        {
            context.Response.Headers["X-Content-Type-Options"] = "nosniff";
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
            context.Response.Headers["Content-Security-Policy"] = "default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self' data:; frame-ancestors 'none'";
            await next(context).ConfigureAwait(false);
        });

        app.MapGet("/", () => Page("phone.html"));
        app.MapGet("/operator", () => Page("operator.html"));
        app.MapGet("/static/{name}", (string name) => Page(name));
        app.MapGet("/healthz", () => Results.Text("ok"));
        DriverApi.Map(app, options, db, relay);
        OperatorApi.Map(app, options, db, planner);
        return app;
    }

    /// <summary>An embedded page or file, or 404.</summary>
    private static IResult Page(string name)
    {
        Stream? stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("pages/" + name);
        if (stream is null)
        {
            return Results.NotFound();
        }

        string type = Path.GetExtension(name) switch
        {
            ".html" => "text/html; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            ".svg" => "image/svg+xml",
            _ => "application/octet-stream",
        };
        return Results.Stream(stream, type);
    }

    /// <summary>Milli-currency from a decimal price per kWh (at most three decimals, 0..1000000), or null when absent.</summary>
    public static long? Milli(decimal? price, string what)
    {
        if (price is not decimal p)
        {
            return null;
        }

        decimal milli = p * 1000m;
        if (p < 0 || p > 1_000_000m || milli != decimal.Truncate(milli))
        {
            throw new ArgumentOutOfRangeException(what, $"{what} is 0..1000000 per kWh with at most three decimals");
        }

        return (long)milli;
    }

    /// <summary>A decimal price from milli-currency.</summary>
    public static decimal? Price(long? milli) => milli is long m ? m / 1000m : null;

    /// <summary>A 400 with a message the page shows.</summary>
    public static IResult Bad(string message) => Results.BadRequest(new { error = message });

    /// <summary>"yyyy-MM-dd" (local) to UTC Unix ms at its local midnight.</summary>
    public static long Day(string? text, long fallback, int utcOffsetMinutes) =>
        DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime day)
            ? (long)(day - DateTime.UnixEpoch).TotalMilliseconds - (utcOffsetMinutes * 60_000L)
            : fallback;
}
