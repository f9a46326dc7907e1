using ChargerFirmware.Aggregator;
using ChargerFirmware.Aggregator.Storage;
using ChargerFirmware.Aggregator.Ingest;
using ChargerFirmware.Simulator.Aggregator;
using ChargerFirmware.Simulator.Display;
using ChargerFirmware.Simulator.Hardware;
using ChargerFirmware.Simulator.Mqtt;
using ChargerFirmware.Simulator.Time;

namespace ChargerFirmware.Simulator;

/// <summary>
/// Everything one run needs, started in order and stopped in reverse: the broker (embedded or
/// external), the aggregator (the real server, one or more instances, or the scripted reference
/// aggregator, or none), the chargers with their links, the link pump and the control-loop
/// scheduler on one simulated time base.
/// </summary>
public sealed class SimulationHost : IAsyncDisposable
{
    private readonly string? _temporaryFolder;
    private bool _started;

    private SimulationHost(SimOptions options, BrokerEndpoint broker, EmbeddedBroker? embedded, string dataRoot, string? temporaryFolder, Action<string> log)
    {
        Options = options;
        Broker = broker;
        Embedded = embedded;
        _temporaryFolder = temporaryFolder;
        Log = log;
        Time = new SimTimeBase(options.Speed, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        int index = 0;
        // A fleet runs without panels: a 480 x 320 screen per charger is memory a thousand chargers do not need.
        bool panels = options.Mode != SimMode.Fleet;
        Chargers = [.. options.ChargerIds.Select(id => new SimulatedCharger(id, Time.UtcStartMs, Path.Combine(dataRoot, id), options.Seed * 7919 + index++, c => Configure(c, broker, options.Speed), panels))];
        if (options.ScreensFolder is not null)
        {
            Screens = new ScreenRecorder(options.ScreensFolder);
            foreach (SimulatedCharger charger in Chargers)
            {
                Screens.Attach(charger);
            }
        }
        Scheduler = new Scheduler(Time, Chargers, Chargers.Count == 1 ? 1 : Math.Min(2, Environment.ProcessorCount));
        Links = new LinkPump(Chargers, Chargers.Count == 1 ? 1 : 4);
        DataRoot = dataRoot;
    }

    /// <summary>Writes a picture of each charger's panel on every change (--screens), or null.</summary>
    public ScreenRecorder? Screens { get; }

    /// <summary>The options of the run.</summary>
    public SimOptions Options { get; }

    /// <summary>The broker everyone uses.</summary>
    public BrokerEndpoint Broker { get; }

    /// <summary>The embedded broker, or null with --broker.</summary>
    public EmbeddedBroker? Embedded { get; }

    /// <summary>Where the chargers' flash folders are.</summary>
    public string DataRoot { get; }

    /// <summary>Where log lines go.</summary>
    public Action<string> Log { get; }

    /// <summary>The simulated time base.</summary>
    public SimTimeBase Time { get; }

    /// <summary>The chargers.</summary>
    public IReadOnlyList<SimulatedCharger> Chargers { get; }

    /// <summary>Steps the control loops.</summary>
    public Scheduler Scheduler { get; }

    /// <summary>Steps the links.</summary>
    public LinkPump Links { get; }

    /// <summary>The reference aggregator in this process, or null.</summary>
    public ReferenceAggregator? Aggregator { get; private set; }

    /// <summary>The aggregator's server instances in this process (none unless asked for).</summary>
    public List<AggregatorServer> Servers { get; } = [];

    /// <summary>The first server instance (the one whose pages the run prints).</summary>
    public AggregatorServer Server => Servers.Count > 0 ? Servers[0] : throw new InvalidOperationException("no server in this run");

    /// <summary>Simulated UTC every charger has reached, Unix ms (the in-process aggregator's clock).</summary>
    public long SimUtcMs => Time.UtcStartMs + Scheduler.SlowestMs;

    /// <summary>
    /// Starts the broker (unless external), the reference aggregator (when <paramref name="withAggregator"/>)
    /// or the aggregator's server (when <paramref name="withServer"/>: <see cref="SimOptions.Servers"/>
    /// instances on SQLite in the data folder, or on <see cref="SimOptions.Postgres"/>), and builds the
    /// chargers; nothing runs yet.
    /// </summary>
    public static async Task<SimulationHost> CreateAsync(SimOptions options, Action<string> log, bool withAggregator, bool verboseAggregator = true,
        bool withServer = false, CancellationToken cancel = default)
    {
        EmbeddedBroker? embedded = null;
        BrokerEndpoint broker;
        if (options.Broker is null)
        {
            embedded = await EmbeddedBroker.StartAsync(options.Port).ConfigureAwait(false);
            broker = new BrokerEndpoint(EmbeddedBroker.Host, embedded.Port);
            log($"broker: embedded MQTT broker on {broker}");
        }
        else
        {
            broker = options.Broker;
            log($"broker: {broker}");
        }

        string? temporary = options.DataFolder is null ? Directory.CreateTempSubdirectory("charger-sim-").FullName : null;
        var host = new SimulationHost(options, broker, embedded, options.DataFolder ?? temporary!, temporary, log);
        if (withAggregator)
        {
            host.Aggregator = new ReferenceAggregator(broker, () => host.SimUtcMs, log) { Verbose = verboseAggregator };
            await host.Aggregator.StartAsync(cancel).ConfigureAwait(false);
        }

        if (withServer)
        {
            await host.StartServersAsync(verboseAggregator).ConfigureAwait(false);
        }

        foreach (SimulatedCharger charger in host.Chargers)
        {
            charger.Link = FirmwareLink.Create(charger, broker);
        }

        return host;
    }

    /// <summary>Starts simulated time: the scheduler and the link pump.</summary>
    public void Start()
    {
        _started = true;
        Scheduler.Start();
        Links.Start();
    }

    /// <summary>Holds simulated time where the slowest charger is, until <see cref="ResumeTime"/>.</summary>
    public void PauseTime() => Time.Pause(Scheduler.SlowestMs);

    /// <summary>Lets simulated time run on.</summary>
    public void ResumeTime() => Time.Resume();

    /// <summary>Waits until every charger's link is online; returns false on timeout.</summary>
    public async Task<bool> WaitAllOnlineAsync(TimeSpan timeout, CancellationToken cancel = default)
    {
        DateTime until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (Chargers.All(c => c.Link?.Online == true))
            {
                return true;
            }

            await Task.Delay(20, cancel).ConfigureAwait(false);
        }

        return false;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            Scheduler.Stop();
            Links.Stop();
        }

        foreach (AggregatorServer server in Servers)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }

        if (Aggregator is not null)
        {
            await Aggregator.DisposeAsync().ConfigureAwait(false);
        }

        if (Embedded is not null)
        {
            await Embedded.DisposeAsync().ConfigureAwait(false);
        }

        if (_temporaryFolder is not null)
        {
            try
            {
                Directory.Delete(_temporaryFolder, recursive: true);
            }
            catch (IOException)
            {
                // A folder left in the temporary directory is harmless.
            }
        }
    }

    // The server follows the chargers' simulated clock; its planner looks often, since simulated
    // minutes pass in wall seconds.
    private async Task StartServersAsync(bool verbose)
    {
        string sqlite = Path.Combine(DataRoot, "aggregator.db");
        for (int i = 1; i <= Options.Servers; i++)
        {
            AggregatorServer server = await AggregatorServer.StartAsync(new ServerOptions
            {
                Database = Options.Postgres is { } postgres ? () => Database.Postgres(postgres) : () => Database.Sqlite(sqlite),
                Mqtt = new MqttSettings
                {
                    Host = Broker.Host,
                    Port = Broker.Port,
                    Tls = Broker.Tls,
                    CaFile = Broker.CaFile,
                    User = Broker.User,
                    Password = Broker.Password,
                    RelayUser = Broker.User,
                    RelayPassword = Broker.Password,
                    ShareGroup = Options.Servers > 1 ? "aggregator" : null,
                },
                Url = "http://127.0.0.1:0",
                Web = i == 1,
                InstanceId = $"sim-server-{i}",
                Settings = new ServerSettings { PlannerPeriodMs = 50 },
                Clock = () => SimUtcMs,
            }, verbose ? Log : line => { if (!line.StartsWith("relay", StringComparison.Ordinal)) Log(line); }).ConfigureAwait(false);
            Servers.Add(server);
        }

        Log($"server    | the aggregator's server: driver's page {Server.Url}, operator's page {new Uri(Server.Url!, "operator")} (key {Server.OperatorKey})");
    }

    // The broker lives in wall time while a charger's clock runs at --speed: a link that waits a few
    // wall milliseconds for an answer has waited speed times as long in simulated time. So the
    // timings judged against the broker (how quiet it may be, how long an answer may take, how long
    // an order outlives its last answer) are stretched to at least a few wall seconds each.
    private static void Configure(ChargerFirmware.Config.ChargerConfig config, BrokerEndpoint broker, double speed)
    {
        config.BrokerProbeMs = Stretch(config.BrokerProbeMs, speed, 500);
        config.BrokerAnswerMs = Stretch(config.BrokerAnswerMs, speed, 3_000);
        config.DispatchOfflineLimitMs = Stretch(config.DispatchOfflineLimitMs, speed, 10_000);
        config.BrokerHost = broker.Host;
        config.BrokerPort = broker.Port;
        config.BrokerTls = broker.Tls;
        config.BrokerUser = broker.User ?? string.Empty;
        config.BrokerPassword = broker.Password ?? string.Empty;
        config.ReconnectMinMs = 500;
    }

    private static int Stretch(int simulatedMs, double speed, int wallMs) => (int)Math.Min(int.MaxValue, Math.Max(simulatedMs, speed * wallMs));
}
