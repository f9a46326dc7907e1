using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace ChargerFirmware.Aggregator.Tests.Support;

/// <summary>
/// A throw-away PostgreSQL cluster (Debian's postgresql: initdb and pg_ctl) on a free loopback
/// port, one per test run, shared by every test and stopped when the process exits; each test
/// gets its own database. PostgreSQL refuses to run as root, so as root the cluster runs as the
/// <c>postgres</c> system user the package creates (through <c>runuser</c>), in a folder it owns.
/// Also used by the benchmarks.
/// </summary>
public sealed class PostgresCluster
{
    private static readonly Lazy<PostgresCluster> Shared = new(() => new PostgresCluster(durable: false));
    private readonly string _bin;
    private readonly string _directory;
    private readonly bool _asRoot;
    private int _databases;

    /// <summary>Starts a cluster; <paramref name="durable"/> keeps fsync on (benchmarks), else it is off (tests: a crash of the machine may lose it).</summary>
    public PostgresCluster(bool durable)
    {
        _bin = FindBin() ?? throw new InvalidOperationException("PostgreSQL is not installed (initdb, pg_ctl): run ./test.sh, which installs Debian's postgresql");
        _asRoot = Environment.UserName == "root";
        _directory = Path.Combine(Path.GetTempPath(), "pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_directory);
        if (_asRoot)
        {
            Run("chown", $"postgres: {_directory}", asPostgres: false);
        }

        Port = FreePort();
        string data = Path.Combine(_directory, "data");
        Run(Path.Combine(_bin, "initdb"), $"-D {data} -U agg -A trust -E UTF8 --no-sync", asPostgres: _asRoot);
        File.AppendAllText(Path.Combine(data, "postgresql.conf"),
            $"listen_addresses = '127.0.0.1'\nport = {Port}\nunix_socket_directories = '{_directory}'\nmax_connections = 300\nshared_buffers = 128MB\n"
            + (durable ? "" : "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"));
        Run(Path.Combine(_bin, "pg_ctl"), $"-D {data} -l {Path.Combine(_directory, "log")} -w -t 60 start", asPostgres: _asRoot);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();
    }

    /// <summary>The cluster of this test run (started on first use).</summary>
    public static PostgresCluster Instance => Shared.Value;

    /// <summary>Its port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>Creates a fresh database; returns its connection string.</summary>
    public string NewDatabase(string stem = "t")
    {
        string name = $"{stem}_{Interlocked.Increment(ref _databases)}_{Environment.ProcessId}";
        using (var admin = new NpgsqlConnection(ConnectionString("postgres")))
        {
            admin.Open();
            using NpgsqlCommand create = admin.CreateCommand();
            create.CommandText = $"CREATE DATABASE {name}";
            create.ExecuteNonQuery();
        }

        return ConnectionString(name);
    }

    /// <summary>The connection string of database <paramref name="name"/>.</summary>
    public string ConnectionString(string name) => $"Host=127.0.0.1;Port={Port};Username=agg;Database={name};Maximum Pool Size=40;Timeout=30";

    private void Stop()
    {
        try
        {
            Run(Path.Combine(_bin, "pg_ctl"), $"-D {Path.Combine(_directory, "data")} -m immediate -w stop", asPostgres: _asRoot);
            Directory.Delete(_directory, recursive: true);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            // A folder left in the temporary directory is harmless.
        }
    }

    private static string? FindBin()
    {
        const string root = "/usr/lib/postgresql";
        if (Directory.Exists(root))
        {
            string? newest = Directory.GetDirectories(root)
                .Where(d => File.Exists(Path.Combine(d, "bin", "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out int v) ? v : 0)
                .FirstOrDefault();
            if (newest is not null)
            {
                return Path.Combine(newest, "bin");
            }
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")));
    }

    private static void Run(string file, string arguments, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (asPostgres)
        {
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add("postgres");
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(file);
        }

        foreach (string argument in arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(90_000))
        {
            process.Kill();
            throw new InvalidOperationException($"{file} {arguments} did not finish in 90 s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} failed ({process.ExitCode}): {output.Result}{error.Result}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
