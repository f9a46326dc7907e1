using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace ChargerFirmware.Tests.Link;

/// <summary>
/// A real mosquitto on free loopback ports, started by the test and killed at the end: one plain
/// listener, and a TLS listener when certificates are given. <see cref="Kill"/> and
/// <see cref="Start"/> bring it down and up again on the same ports (no persistence: retained
/// messages are lost with it). Its log is kept for failure messages.
/// </summary>
public sealed class MosquittoBroker : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mosquitto-").FullName;
    private readonly StringBuilder _log = new();
    private readonly TestCertificates? _tls;
    private readonly string[] _settings;
    private Process? _process;

    /// <summary>A broker with TLS when <paramref name="tls"/> is given, and extra mosquitto.conf lines (an ACL, a password file…).</summary>
    public MosquittoBroker(TestCertificates? tls = null, IEnumerable<string>? settings = null)
    {
        _tls = tls;
        _settings = settings?.ToArray() ?? [];
        Port = FreePort();
        TlsPort = tls == null ? 0 : FreePort();
        Start();
    }

    public int Port { get; }

    /// <summary>The folder of its configuration (for files the extra settings name).</summary>
    public string Folder => _directory;

    /// <summary>The TLS listener's port (0 without TLS).</summary>
    public int TlsPort { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>The mosquitto binary, or a failure that says how to get it.</summary>
    public static string Executable()
    {
        string[] candidates = ["/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto", "/usr/bin/mosquitto"];
        string? found = candidates.FirstOrDefault(File.Exists)
            ?? (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':')
                .Select(dir => Path.Combine(dir, "mosquitto")).FirstOrDefault(File.Exists);
        Assert.True(found != null, "mosquitto is not installed: run ./test.sh, which installs it, then run the tests again");
        return found!;
    }

    public void Start()
    {
        string config = Path.Combine(_directory, "mosquitto.conf");
        var text = new StringBuilder()
            .AppendLine("per_listener_settings false")
            .AppendLine(_settings.Any(line => line.StartsWith("allow_anonymous", StringComparison.Ordinal)) ? "" : "allow_anonymous true")
            .AppendLine("persistence false")
            .AppendLine($"listener {Port} 127.0.0.1");
        foreach (string line in _settings)
        {
            text.AppendLine(line);
        }

        if (_tls != null)
        {
            text.AppendLine($"listener {TlsPort} 127.0.0.1")
                .AppendLine($"cafile {_tls.CaPath}")
                .AppendLine($"certfile {_tls.ServerCertificatePath}")
                .AppendLine($"keyfile {_tls.ServerKeyPath}")
                .AppendLine("require_certificate false");
        }

        File.WriteAllText(config, text.ToString());
        var start = new ProcessStartInfo(Executable(), $"-c {config} -v")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        WaitForListener(Port, process);
        if (_tls != null)
        {
            WaitForListener(TlsPort, process);
        }
    }

    /// <summary>Kills the broker at once (SIGKILL): its clients see their connection die.</summary>
    public void Kill()
    {
        Process? process = _process;
        _process = null;
        if (process == null)
        {
            return;
        }

        if (!process.HasExited)
        {
            process.Kill();
            Assert.True(process.WaitForExit(5000), "mosquitto did not die within 5 s");
        }

        process.Dispose();
    }

    public void Dispose()
    {
        Kill();
        Directory.Delete(_directory, recursive: true);
    }

    private void Append(string? line)
    {
        if (line != null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    private void WaitForListener(int port, Process process)
    {
        var watch = Stopwatch.StartNew();
        while (watch.ElapsedMilliseconds < 5000)
        {
            Assert.False(process.HasExited, "mosquitto exited at start:\n" + Log);
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(20);
            }
        }

        Assert.Fail($"mosquitto did not listen on {port} within 5 s:\n{Log}");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
