using System.Globalization;
using System.Runtime.InteropServices;
using ChargerFirmware.Aggregator;
using ChargerFirmware.Aggregator.Ingest;
using ChargerFirmware.Aggregator.Storage;

const string usage = """
    Usage: dotnet run --project Aggregator -- [options]

    The resource aggregator's server: stores every ledger record once, keeps accounts and
    settlement, relays the consent question to the driver's phone, serves the driver's page (/)
    and the operator's page (/operator), and plans dispatches for demand responses.

    With no options: SQLite in ./aggregator.db, an embedded MQTT broker on 127.0.0.1:1883 (chargers
    join with: dotnet run --project Simulator -- --interactive --no-aggregator --broker mqtt://127.0.0.1:1883),
    the pages on http://127.0.0.1:5080.

    Storage:
      --sqlite FILE             SQLite database file (default aggregator.db)
      --postgres CONNSTR        PostgreSQL instead, e.g. "Host=127.0.0.1;Port=5432;Username=agg;Database=agg"
    Broker:
      --broker mqtt://HOST:PORT an external broker (mosquitto) instead of the embedded one
      --embedded-port PORT      port of the embedded broker (default 1883; 0: a free one)
      --tls, --ca FILE          TLS to the broker, its CA certificate (PEM)
      --user U, --password P    the aggregator identity (env AGGREGATOR_MQTT_PASSWORD)
      --relay-user U, --relay-password P   the phone relay identity (env AGGREGATOR_RELAY_PASSWORD)
      --share-group NAME        MQTT 5 shared-subscription group (default aggregator with --broker)
      --no-share                plain subscriptions (one instance only)
    Server:
      --urls URL                where the pages listen (default http://127.0.0.1:5080)
      --no-web                  no pages (a worker instance)
      --instance NAME           this instance's stable name (default agg-<host>)
      --operator-key KEY        the operator's key (env AGGREGATOR_OPERATOR_KEY; default: a new one, printed)
      --currency XXX, --utc-offset MINUTES   currency and local time of the business (JPY, 540)
      --help                    this text
    """;

string? Arg(string name)
{
    int i = Array.IndexOf(args, name);
    if (i < 0)
    {
        return null;
    }

    if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
    {
        throw new FormatException($"{name} needs a value");
    }

    return args[i + 1];
}

bool Flag(string name) => args.Contains(name);

if (Flag("--help") || Flag("-h"))
{
    Console.WriteLine(usage);
    return 0;
}

void Log(string line)
{
    lock (usage)
    {
        Console.WriteLine(line);
    }
}

try
{
    string[] known = ["--sqlite", "--postgres", "--broker", "--embedded-port", "--tls", "--ca", "--user", "--password", "--relay-user", "--relay-password",
        "--share-group", "--no-share", "--urls", "--no-web", "--instance", "--operator-key", "--currency", "--utc-offset"];
    string[] flags = ["--tls", "--no-share", "--no-web"];
    for (int i = 0; i < args.Length; i++)
    {
        if (!known.Contains(args[i]))
        {
            throw new FormatException($"unknown option '{args[i]}'");
        }

        i += flags.Contains(args[i]) ? 0 : 1;
    }

    string? postgres = Arg("--postgres");
    string sqlite = Arg("--sqlite") ?? "aggregator.db";
    if (postgres is not null && Arg("--sqlite") is not null)
    {
        throw new FormatException("--sqlite or --postgres, not both");
    }

    EmbeddedBroker? embedded = null;
    MqttSettings mqtt;
    if (Arg("--broker") is { } broker)
    {
        if (!Uri.TryCreate(broker, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("mqtt" or "mqtts"))
        {
            throw new FormatException($"--broker wants mqtt://HOST:PORT, not '{broker}'");
        }

        bool tls = Flag("--tls") || uri.Scheme == "mqtts";
        mqtt = new MqttSettings
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? (tls ? 8883 : 1883) : uri.Port,
            Tls = tls,
            CaFile = Arg("--ca"),
            ShareGroup = Flag("--no-share") ? null : Arg("--share-group") ?? "aggregator",
        };
    }
    else
    {
        embedded = await EmbeddedBroker.StartAsync(int.Parse(Arg("--embedded-port") ?? "1883", CultureInfo.InvariantCulture));
        mqtt = new MqttSettings { Host = EmbeddedBroker.Host, Port = embedded.Port, ShareGroup = null };
        Log($"broker    | embedded MQTT broker on mqtt://{EmbeddedBroker.Host}:{embedded.Port} (chargers: --broker mqtt://{EmbeddedBroker.Host}:{embedded.Port})");
    }

    mqtt = mqtt with
    {
        User = Arg("--user"),
        Password = Arg("--password") ?? Environment.GetEnvironmentVariable("AGGREGATOR_MQTT_PASSWORD"),
        RelayUser = Arg("--relay-user"),
        RelayPassword = Arg("--relay-password") ?? Environment.GetEnvironmentVariable("AGGREGATOR_RELAY_PASSWORD"),
    };
    var options = new ServerOptions
    {
        Database = postgres is null ? () => Database.Sqlite(sqlite) : () => Database.Postgres(postgres),
        Mqtt = mqtt,
        Url = Arg("--urls") ?? "http://127.0.0.1:5080",
        Web = !Flag("--no-web"),
        InstanceId = Arg("--instance") ?? new ServerOptions().InstanceId,
        OperatorKey = Arg("--operator-key") ?? Environment.GetEnvironmentVariable("AGGREGATOR_OPERATOR_KEY"),
        Settings = new ServerSettings
        {
            Currency = Arg("--currency") ?? "JPY",
            UtcOffsetMinutes = int.Parse(Arg("--utc-offset") ?? "540", CultureInfo.InvariantCulture),
        },
    };

    // Ctrl-C and a service manager's SIGTERM both stop it cleanly (the web host's own handler would
    // stop only the pages and leave the process waiting).
    using var stop = new CancellationTokenSource();
    void Stop(PosixSignalContext context)
    {
        context.Cancel = true;
        stop.Cancel();
    }

    using PosixSignalRegistration onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
    using PosixSignalRegistration onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
    await using (AggregatorServer server = await AggregatorServer.StartAsync(options, Log))
    {
        if (server.Url is { } url)
        {
            Log($"server    | driver's page:   {url}");
            Log($"server    | operator's page: {new Uri(url, "operator")}  (key {(options.OperatorKey is null ? server.OperatorKey : "as given")})");
        }

        Log("server    | running; Ctrl-C stops");
        await Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        Log("server    | stopping");
    }

    if (embedded is not null)
    {
        await embedded.DisposeAsync();
    }

    return 0;
}
catch (FormatException e)
{
    Console.Error.WriteLine("error: " + e.Message);
    Console.Error.WriteLine();
    Console.Error.WriteLine(usage);
    return 2;
}
catch (Exception e) when (e is System.Data.Common.DbException or IOException or TimeoutException or System.Net.Sockets.SocketException)
{
    Console.Error.WriteLine("error: " + e.Message);
    return 1;
}
