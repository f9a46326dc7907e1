using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace ChargerFirmware.VirtualHardware.Mqtt;

/// <summary>The files of a TLS listener for <see cref="Mosquitto"/>: the CA, the broker's certificate and its key (PEM paths).</summary>
public sealed record MosquittoTls(string CaPath, string CertificatePath, string KeyPath);

/// <summary>
/// A real mosquitto on free loopback ports, started by a test or a benchmark and killed when done:
/// anonymous, no persistence (retained messages die with it), one plain listener on 127.0.0.1 and a
/// TLS one when <see cref="MosquittoTls"/> files are given. It can be killed and started again on
/// the same ports (<see cref="Kill"/>, <see cref="Start"/>) and frozen like a hung host
/// (<see cref="Freeze"/> is SIGSTOP: its sockets stay open and silent; <see cref="Thaw"/> is
/// SIGCONT). Its log is kept for failure messages. <c>noDelay</c> sets TCP_NODELAY on its client
/// sockets (as a latency-minded deployment would; with mosquitto's default, Nagle on, a message that
/// follows an unacknowledged small packet waits for the peer's delayed ACK, about 40 ms on Linux).
/// </summary>
public sealed class Mosquitto : IDisposable
{
    private const int SigCont = 18;
    private const int SigStop = 19;

    private readonly string _directory = Directory.CreateTempSubdirectory("mosquitto-").FullName;
    private readonly StringBuilder _log = new();
    private readonly MosquittoTls? _tls;
    private readonly bool _noDelay;
    private readonly bool _verbose;
    private readonly string[] _settings;
    private Process? _process;
    private bool _frozen;

    /// <summary>
    /// Starts a broker (waits until it listens), with TLS when <paramref name="tls"/> is given and the
    /// extra mosquitto.conf lines <paramref name="settings"/> (an ACL, a password file…).
    /// </summary>
    public Mosquitto(MosquittoTls? tls = null, bool noDelay = true, bool verbose = true, IEnumerable<string>? settings = null)
    {
        _tls = tls;
        _settings = settings?.ToArray() ?? [];
        _noDelay = noDelay;
        _verbose = verbose;
        Port = FreePort();
        TlsPort = tls == null ? 0 : FreePort();
        Start();
    }

    /// <summary>The folder of its configuration (for files the extra settings name).</summary>
    public string Folder => _directory;

    /// <summary>The plain listener's port.</summary>
    public int Port { get; }

    /// <summary>The TLS listener's port (0 without TLS).</summary>
    public int TlsPort { get; }

    /// <summary>The running broker's process id (0 while down).</summary>
    public int ProcessId => _process?.Id ?? 0;

    /// <summary>Everything the broker wrote.</summary>
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
        return candidates.FirstOrDefault(File.Exists)
            ?? (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Select(d => Path.Combine(d, "mosquitto")).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("mosquitto is not installed: run ./test.sh once (it installs it), or apt-get install mosquitto");
    }

    /// <summary>Starts the broker on its ports (after <see cref="Kill"/>); waits until it listens.</summary>
    public void Start()
    {
        if (_process != null)
        {
            throw new InvalidOperationException("mosquitto is already running");
        }

        string config = Path.Combine(_directory, "mosquitto.conf");
        var text = new StringBuilder()
            .AppendLine("per_listener_settings false")
            .AppendLine(_settings.Any(line => line.StartsWith("allow_anonymous", StringComparison.Ordinal)) ? "" : "allow_anonymous true")
            .AppendLine("persistence false")
            .AppendLine("max_queued_messages 10000")
            .AppendLine($"set_tcp_nodelay {(_noDelay ? "true" : "false")}")
            .AppendLine($"listener {Port} 127.0.0.1");
        foreach (string line in _settings)
        {
            text.AppendLine(line);
        }

        if (_tls != null)
        {
            text.AppendLine($"listener {TlsPort} 127.0.0.1")
                .AppendLine($"cafile {_tls.CaPath}")
                .AppendLine($"certfile {_tls.CertificatePath}")
                .AppendLine($"keyfile {_tls.KeyPath}")
                .AppendLine("require_certificate false");
        }

        File.WriteAllText(config, text.ToString());
        var start = new ProcessStartInfo(Executable(), $"-c {config}{(_verbose ? " -v" : string.Empty)}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process = Process.Start(start) ?? throw new InvalidOperationException("mosquitto did not start");
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
            if (!process.WaitForExit(5000))
            {
                throw new InvalidOperationException("mosquitto did not die within 5 s");
            }
        }

        _frozen = false;
        process.Dispose();
    }

    /// <summary>Freezes the broker (SIGSTOP): its sockets stay open, nothing is read or answered, as a hung host.</summary>
    public void Freeze() => Signal(SigStop, frozen: true);

    /// <summary>Lets a frozen broker run again (SIGCONT).</summary>
    public void Thaw() => Signal(SigCont, frozen: false);

    /// <summary>The broker's resident memory, from /proc (0 where there is none).</summary>
    public long ResidentBytes()
    {
        string status = $"/proc/{ProcessId}/status";
        if (!File.Exists(status))
        {
            return 0;
        }

        string? line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>Thaws and kills the broker, removes its folder.</summary>
    public void Dispose()
    {
        if (_frozen)
        {
            Thaw();
        }

        Kill();
        Directory.Delete(_directory, recursive: true);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    private void Signal(int signal, bool frozen)
    {
        Process process = _process ?? throw new InvalidOperationException("mosquitto is not running");
        if (kill(process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"signal {signal} to mosquitto failed: errno {Marshal.GetLastPInvokeError()}");
        }

        _frozen = frozen;
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
            if (process.HasExited)
            {
                throw new InvalidOperationException("mosquitto exited at start:\n" + Log);
            }

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

        throw new InvalidOperationException($"mosquitto did not listen on {port} within 5 s:\n{Log}");
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
