using System.Globalization;
using ChargerFirmware.Simulator.Mqtt;

namespace ChargerFirmware.Simulator;

/// <summary>What the simulator runs.</summary>
public enum SimMode
{
    /// <summary>The scripted story (no arguments).</summary>
    Demo,

    /// <summary>Commands on stdin.</summary>
    Interactive,

    /// <summary>Many chargers, each with its own MQTT connection.</summary>
    Fleet,

    /// <summary>Only the reference aggregator, against chargers elsewhere.</summary>
    AggregatorOnly,
}

/// <summary>The command line, parsed and checked. <see cref="Parse"/> throws <see cref="UsageException"/> on a bad one.</summary>
public sealed record SimOptions
{
    /// <summary>The default demo speed: the story's ~50 simulated minutes in about half a minute.</summary>
    public const double DemoSpeed = 120;

    /// <summary>The text of --help.</summary>
    public const string Usage = """
        Usage: dotnet run --project Simulator -- [options]

        With no options: the demo, with the aggregator's server (Aggregator/) on SQLite in a temporary
        folder. The driver signs up on the server's phone page and registers the car; a car at 45 %
        plugs in and the driver allows sharing from the phone with the "balanced" preset; the car
        charges to its floor; the operator declares an up-DR (charged at a lowered price) and a
        down-DR (the planner raises the sell price until the driver's minimum is met); a manual
        cheaper discharge is refused; the car leaves; the charger's receipt and ledger, then the
        driver's balance and statement from the server are printed. Exit code 0 when the story happened.

        Modes:
          (none)                  the demo (default speed 120)
          --interactive           commands on stdin (type "help"); default speed 1
          --chargers N            fleet: N chargers (ids ID-001...), each with its own MQTT
                                  connection and a car; the server's planner runs one down-DR
                                  (--dr-kw, --dr-minutes); default speed 1
          --aggregator-only       only the reference aggregator (prices, the demo's dispatches,
                                  ledger acks, reports), for chargers in another process

        Options:
          --id ID                 charger id (default sim-1; fleet ids are ID-001...)
          --speed FACTOR          simulated time runs FACTOR times faster than wall time (1 = real time)
          --seed N                seed of the simulated hardware and cars (default 1): repeatable runs
          --data DIR              keep each charger's flash in DIR/<id> (default: a temporary folder, removed at exit)
          --screens DIR           write a PNG of the panel (480 x 320, as the device draws it) into DIR
                                  each time it changes (a page, a touch): ID-NNNN-PAGE.png
          --port PORT             port of the embedded MQTT broker (default: a free one, loopback)
          --broker mqtt://HOST:PORT   use this broker instead of the embedded one
          --tls                   TLS to the broker (with --broker)
          --ca FILE               CA certificate (PEM) of the broker (with --tls)
          --user USER             broker user name
          --password PASSWORD     broker password
          --no-aggregator         run no aggregator here (interactive or fleet: drive it over MQTT yourself)
          --servers N             fleet: N instances of the aggregator's server sharing the chargers
                                  (MQTT 5 shared subscriptions: needs --broker, such as mosquitto,
                                  and --postgres for more than one)
          --postgres CONNSTR      the server's database: PostgreSQL instead of SQLite
          --dr-kw KW              fleet: the down-DR's power (default 2 kW per charger)
          --dr-minutes M          fleet: the down-DR's length (default 10)
          --duration SECONDS      stop after this many wall seconds (interactive, fleet, aggregator-only)
          --help                  this text

        Interactive commands:
          plug [car=N] [soc=P] [capacity=WH] [plc=yes|no] [charge=W] [discharge=W]
                                  car N (default 1) comes back with the same vehicle id
          unplug
          touch X Y               a finger on the panel at pixel X (0..479), Y (0..319)
          tap BUTTON              touch a button shown now: allow, deny, change, remember, stop,
                                  share, history, done, back, keep-plus, sell-minus, ... (see README)
          phone allow|deny [preset=NAME | keep=P sell=P buy=P delegated=yes|no
                window=DAYS,HH:MM-HH:MM ... anytime] [settlement=offset|points|payout] [remember=yes|no]
                                  the driver's phone answers the consent request (over MQTT)
          fault rcd|diode|weld|overtemp|converter|pilot-short
          clear rcd|diode|weld|overtemp|converter|pilot-short|latched
          console LINE            a line to the technician console
          dispatch W [minutes=M] [buy=P] [sell=P]   through the aggregator (W < 0 discharges)
          prices buy=P sell=P     retained prices, through the aggregator
          use ID                  the charger the commands go to (fleet ids)
          status                  the panel and the status line now
          quit

        Time on the panel: at --speed 1 the consent deadline (2 min), the receipt (1 min) and the
        editor's idle return (90 s) run in simulated time, which is then wall time. At any other
        speed they are stretched by the speed so that they still last that long on your clock
        (at --speed 60 the consent deadline is 2 simulated hours); the phone's request says so.
        """;

    /// <summary>The mode.</summary>
    public SimMode Mode { get; init; } = SimMode.Demo;

    /// <summary>Charger id, or the stem of the fleet's ids.</summary>
    public string Id { get; init; } = "sim-1";

    /// <summary>How many chargers.</summary>
    public int Chargers { get; init; } = 1;

    /// <summary>Simulated ms per wall ms.</summary>
    public double Speed { get; init; } = DemoSpeed;

    /// <summary>Seed of everything random.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Folder for pictures of the panel, or null for none.</summary>
    public string? ScreensFolder { get; init; }

    /// <summary>Folder for the chargers' flash, or null for a temporary one.</summary>
    public string? DataFolder { get; init; }

    /// <summary>Port of the embedded broker (0: free).</summary>
    public int Port { get; init; }

    /// <summary>An external broker, or null for the embedded one.</summary>
    public BrokerEndpoint? Broker { get; init; }

    /// <summary>True to run no aggregator in this process.</summary>
    public bool NoAggregator { get; init; }

    /// <summary>Stop after this wall time, or null.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Instances of the aggregator's server (demo and fleet).</summary>
    public int Servers { get; init; } = 1;

    /// <summary>The server's PostgreSQL connection string, or null for SQLite.</summary>
    public string? Postgres { get; init; }

    /// <summary>The fleet's down-DR power, kW, or null for 2 kW per charger.</summary>
    public double? DrKw { get; init; }

    /// <summary>The fleet's down-DR length, minutes.</summary>
    public int DrMinutes { get; init; } = 10;

    /// <summary>True when --help was asked.</summary>
    public bool Help { get; init; }

    /// <summary>The ids of the chargers: <see cref="Id"/> alone, or ID-001… for a fleet.</summary>
    public IReadOnlyList<string> ChargerIds =>
        Mode == SimMode.Fleet ? [.. Enumerable.Range(1, Chargers).Select(i => $"{Id}-{i:D3}")] : [Id];

    /// <summary>Parses <paramref name="args"/>; throws <see cref="UsageException"/> with a clear message.</summary>
    public static SimOptions Parse(IReadOnlyList<string> args)
    {
        var o = new SimOptions();
        bool interactive = false, aggregatorOnly = false, tls = false, speedGiven = false;
        string? broker = null, ca = null, user = null, password = null;
        int chargers = 1;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            string Value()
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new UsageException($"{arg} needs a value");
                }

                return args[++i];
            }

            switch (arg)
            {
                case "--help" or "-h":
                    return o with { Help = true };
                case "--interactive":
                    interactive = true;
                    break;
                case "--aggregator-only":
                    aggregatorOnly = true;
                    break;
                case "--no-aggregator":
                    o = o with { NoAggregator = true };
                    break;
                case "--id":
                    o = o with { Id = CheckId(Value()) };
                    break;
                case "--chargers":
                    chargers = Int(arg, Value(), 1, 5000);
                    break;
                case "--speed":
                    o = o with { Speed = ParseSpeed(Value()) };
                    speedGiven = true;
                    break;
                case "--seed":
                    o = o with { Seed = Int(arg, Value(), 0, int.MaxValue) };
                    break;
                case "--data":
                    o = o with { DataFolder = Value() };
                    break;
                case "--screens":
                    o = o with { ScreensFolder = Value() };
                    break;
                case "--port":
                    o = o with { Port = Int(arg, Value(), 1, 65535) };
                    break;
                case "--broker":
                    broker = Value();
                    break;
                case "--tls":
                    tls = true;
                    break;
                case "--ca":
                    ca = Value();
                    break;
                case "--user":
                    user = Value();
                    break;
                case "--password":
                    password = Value();
                    break;
                case "--servers":
                    o = o with { Servers = Int(arg, Value(), 1, 8) };
                    break;
                case "--postgres":
                    o = o with { Postgres = Value() };
                    break;
                case "--dr-kw":
                    o = o with { DrKw = Int(arg, Value(), 1, 1_000_000) };
                    break;
                case "--dr-minutes":
                    o = o with { DrMinutes = Int(arg, Value(), 2, 24 * 60) };
                    break;
                case "--duration":
                    o = o with { Duration = TimeSpan.FromSeconds(Int(arg, Value(), 1, 86_400 * 30)) };
                    break;
                default:
                    throw new UsageException($"unknown option '{arg}'");
            }
        }

        if (interactive && aggregatorOnly)
        {
            throw new UsageException("--interactive and --aggregator-only exclude each other");
        }

        if (aggregatorOnly && o.NoAggregator)
        {
            throw new UsageException("--aggregator-only and --no-aggregator exclude each other");
        }

        if (broker is null && (tls || ca is not null || user is not null || password is not null))
        {
            throw new UsageException("--tls, --ca, --user and --password go with --broker (the embedded broker is plain, on loopback)");
        }

        if (o.Servers > 1 && (broker is null || o.Postgres is null))
        {
            throw new UsageException("--servers above 1 share the chargers through MQTT 5 shared subscriptions and one database: give --broker (mosquitto) and --postgres");
        }

        if (broker is not null && o.Port != 0)
        {
            throw new UsageException("--port is for the embedded broker; with --broker give the port in its address");
        }

        if (ca is not null && !File.Exists(ca))
        {
            throw new UsageException($"--ca: no such file '{ca}'");
        }

        if (o.DataFolder is not null && File.Exists(o.DataFolder))
        {
            throw new UsageException($"--data: '{o.DataFolder}' is a file, not a folder");
        }

        if (o.ScreensFolder is not null && File.Exists(o.ScreensFolder))
        {
            throw new UsageException($"--screens: '{o.ScreensFolder}' is a file, not a folder");
        }

        SimMode mode = aggregatorOnly ? SimMode.AggregatorOnly
            : interactive ? SimMode.Interactive
            : chargers > 1 ? SimMode.Fleet
            : SimMode.Demo;
        if (mode == SimMode.Demo && o.NoAggregator)
        {
            throw new UsageException("the demo needs its aggregator: --no-aggregator goes with --interactive or --chargers");
        }

        BrokerEndpoint? endpoint = null;
        if (broker is not null)
        {
            try
            {
                endpoint = BrokerEndpoint.Parse(broker, tls) with { CaFile = ca, User = user, Password = password };
            }
            catch (FormatException e)
            {
                throw new UsageException(e.Message);
            }
        }

        return o with
        {
            Mode = mode,
            Chargers = chargers,
            Broker = endpoint,
            Speed = speedGiven ? o.Speed : (mode == SimMode.Demo ? DemoSpeed : 1),
        };
    }

    private static string CheckId(string value)
    {
        bool ok = value.Length is >= 1 and <= 56 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-');
        return ok ? value : throw new UsageException($"--id: '{value}' is not 1..56 of A-Z a-z 0-9 . _ : -");
    }

    private static int Int(string option, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= min && n <= max
            ? n
            : throw new UsageException($"{option}: '{value}' is not an integer {min}..{max}");

    private static double ParseSpeed(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double speed) && speed > 0 && speed <= 100_000
            ? speed
            : throw new UsageException($"--speed: '{value}' is not a number above 0 (1 = real time, at most 100000)");
}

/// <summary>A bad command line: the message says what is wrong; the program prints it with the usage and exits 2.</summary>
public sealed class UsageException(string message) : Exception(message);
