using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ChargerFirmware.Tests.Simulator;

/// <summary>A real mosquitto on a free loopback port, anonymous, for as long as the test holds it.</summary>
internal sealed class Mosquitto : IDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private Mosquitto(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Starts mosquitto and waits until it accepts connections; throws (the test fails) when it is not installed.</summary>
    public static Mosquitto Start()
    {
        string binary = new[] { "/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("mosquitto is not installed: run ./test.sh, which installs it");
        int port = FreePort();
        string folder = Directory.CreateTempSubdirectory("sim-mosquitto-").FullName;
        string conf = Path.Combine(folder, "mosquitto.conf");
        File.WriteAllText(conf, $"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest none\n");
        var process = Process.Start(new ProcessStartInfo(binary, ["-c", conf]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var broker = new Mosquitto(process, folder, port);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                return broker;
            }
            catch (SocketException)
            {
                if (process.HasExited)
                {
                    break;
                }

                Thread.Sleep(50);
            }
        }

        broker.Dispose();
        throw new InvalidOperationException($"mosquitto did not start on port {port}");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5_000);
        }

        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
