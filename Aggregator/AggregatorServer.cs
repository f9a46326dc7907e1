using System.Security.Cryptography;
using ChargerFirmware.Aggregator.Accounts;
using ChargerFirmware.Aggregator.Consent;
using ChargerFirmware.Aggregator.Dispatch;
using ChargerFirmware.Aggregator.Ingest;
using ChargerFirmware.Aggregator.Settlement;
using ChargerFirmware.Aggregator.Storage;
using ChargerFirmware.Aggregator.Web;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace ChargerFirmware.Aggregator;

/// <summary>How to run one server instance.</summary>
public sealed record ServerOptions
{
    /// <summary>The database (default: SQLite in <c>aggregator.db</c> beside the working directory).</summary>
    public Func<Database> Database { get; init; } = () => Storage.Database.Sqlite("aggregator.db");

    /// <summary>The broker and the identities.</summary>
    public MqttSettings Mqtt { get; init; } = new();

    /// <summary>Where the web pages listen (port 0: a free one).</summary>
    public string Url { get; init; } = "http://127.0.0.1:5080";

    /// <summary>False to run without the web pages (a pure worker instance).</summary>
    public bool Web { get; init; } = true;

    /// <summary>This instance's stable name (MQTT client ids, planning leases, heartbeat).</summary>
    public string InstanceId { get; init; } = "agg-" + Environment.MachineName.ToLowerInvariant();

    /// <summary>The business rules.</summary>
    public ServerSettings Settings { get; init; } = new();

    /// <summary>The operator's key; null: a new one is made and printed at start.</summary>
    public string? OperatorKey { get; init; }

    /// <summary>The business clock, Unix ms (the chargers' time; the simulator passes its simulated time).</summary>
    public Func<long> Clock { get; init; } = () => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}

/// <summary>
/// One instance of the aggregator's server, composed: the database (migrated), the aggregator's
/// and the phone relay's MQTT identities, the planner and the web pages. Several instances share
/// one PostgreSQL and split the charger traffic through shared subscriptions; nothing lives only in
/// one of them.
/// </summary>
public sealed class AggregatorServer : IAsyncDisposable
{
    private readonly WebApplication? _web;
    private int _disposed;

    private AggregatorServer(ServerOptions options, Database db, ChargerTraffic traffic, ConsentRelay relay, PlannerService planner, WebApplication? web, string operatorKey)
    {
        Options = options;
        Db = db;
        Traffic = traffic;
        Relay = relay;
        Planner = planner;
        _web = web;
        OperatorKey = operatorKey;
        Accounts = new AccountStore(db, options.Clock);
        Books = new Books(db, options.Settings, options.Clock);
        DemandResponses = new DemandResponses(db, options.Settings, options.Clock);
        if (web is not null)
        {
            string address = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            Url = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        }
    }

    /// <summary>The options it runs with.</summary>
    public ServerOptions Options { get; }

    /// <summary>The database.</summary>
    public Database Db { get; }

    /// <summary>The aggregator identity.</summary>
    public ChargerTraffic Traffic { get; }

    /// <summary>The phone relay identity.</summary>
    public ConsentRelay Relay { get; }

    /// <summary>The planner.</summary>
    public PlannerService Planner { get; }

    /// <summary>Accounts.</summary>
    public AccountStore Accounts { get; }

    /// <summary>The users' books.</summary>
    public Books Books { get; }

    /// <summary>Demand responses.</summary>
    public DemandResponses DemandResponses { get; }

    /// <summary>The web pages' base address (null without web).</summary>
    public Uri? Url { get; }

    /// <summary>The operator's key (the operator page asks for it).</summary>
    public string OperatorKey { get; }

    /// <summary>Starts an instance.</summary>
    public static async Task<AggregatorServer> StartAsync(ServerOptions options, Action<string> log)
    {
        Database db = options.Database();
        List<int> applied = Migrations.Apply(db);
        log($"server    | {options.InstanceId}: database {db.Description}{(applied.Count > 0 ? ", migrations " + string.Join(", ", applied) + " applied" : ", schema up to date")}");
        string key = options.OperatorKey ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        db.Write(tx => tx.Execute("INSERT INTO operator_keys (key_hash, created_at) VALUES (@h, @t) ON CONFLICT (key_hash) DO UPDATE SET created_at = excluded.created_at",
            ("@h", Wire.Digest(key)), ("@t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())));

        var traffic = new ChargerTraffic(db, options.Settings, options.Mqtt, options.InstanceId, options.Clock, log);
        var relay = new ConsentRelay(db, options.Mqtt, options.InstanceId, options.Clock, log);
        var planner = new PlannerService(db, options.Settings, traffic, relay, options.InstanceId, options.Clock, log);
        traffic.Changed += planner.Wake;
        traffic.CameOnline += id => _ = NewlyOnlineAsync(planner, id);
        await traffic.StartAsync().ConfigureAwait(false);
        await relay.StartAsync().ConfigureAwait(false);
        log($"server    | {options.InstanceId}: on {options.Mqtt}{(options.Mqtt.ShareGroup is null ? "" : " (shared subscriptions, group " + options.Mqtt.ShareGroup + ")")}");
        planner.Start();

        WebApplication? web = null;
        if (options.Web)
        {
            web = WebHost.Build(options, db, relay, planner);
            await web.StartAsync().ConfigureAwait(false);
        }

        return new AggregatorServer(options, db, traffic, relay, planner, web, key);
    }

    /// <summary>Stops the instance (once; later calls do nothing).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_web is not null)
        {
            await _web.StopAsync().ConfigureAwait(false);
            await _web.DisposeAsync().ConfigureAwait(false);
        }

        await Planner.DisposeAsync().ConfigureAwait(false);
        await Relay.DisposeAsync().ConfigureAwait(false);
        await Traffic.DisposeAsync().ConfigureAwait(false);
    }

    // A charger seen for the first time (or back after its prices lapsed) gets the standing prices.
    private static Task NewlyOnlineAsync(PlannerService planner, string chargerId) => planner.RenewPricesAsync([chargerId], 0);
}
