using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ChargerFirmware.Bench.Macro;

/// <summary>
/// A mosquitto the bench starts on a free loopback port and kills when done (as the link tests do):
/// no persistence, anonymous, one plain listener on 127.0.0.1. Its log is kept for error messages.
/// By default it sets TCP_NODELAY on client sockets (as a latency-minded deployment would): with
/// mosquitto's default (Nagle on) a message that follows an unacknowledged small packet waits for the
/// peer's delayed ACK, about 40 ms on Linux, whoever sends it.
/// </summary>
public sealed class Mosquitto : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("bench-mosquitto-").FullName;
    private readonly StringBuilder _log = new();
    private readonly Process _process;

    public Mosquitto(bool noDelay = true)
    {
        Port = FreePort();
        string config = Path.Combine(_directory, "mosquitto.conf");
        File.WriteAllText(config, string.Join('\n', "per_listener_settings false", "allow_anonymous true", "persistence false", "max_queued_messages 10000", $"set_tcp_nodelay {(noDelay ? "true" : "false")}", $"listener {Port} 127.0.0.1", ""));
        var start = new ProcessStartInfo(Executable(), $"-c {config}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("mosquitto did not start");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        WaitForListener();
    }

    public int Port { get; }

    public int ProcessId => _process.Id;

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

    /// <summary>The broker's resident memory, from /proc (0 where there is none).</summary>
    public long ResidentBytes()
    {
        string status = $"/proc/{_process.Id}/status";
        if (!File.Exists(status))
        {
            return 0;
        }

        string? line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>The mosquitto binary, or a failure that says how to get it.</summary>
    public static string Executable()
    {
        string[] candidates = ["/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto", "/usr/bin/mosquitto"];
        return candidates.FirstOrDefault(File.Exists)
            ?? (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Select(d => Path.Combine(d, "mosquitto")).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("mosquitto is not installed: run ./test.sh once (it installs it), or apt-get install mosquitto");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }

        _process.Dispose();
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

    private void WaitForListener()
    {
        var watch = Stopwatch.StartNew();
        while (watch.ElapsedMilliseconds < 5000)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException("mosquitto exited at start:\n" + Log);
            }

            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(20);
            }
        }

        throw new InvalidOperationException($"mosquitto did not listen on {Port} within 5 s:\n{Log}");
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
