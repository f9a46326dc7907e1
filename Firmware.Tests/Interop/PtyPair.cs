using System.Diagnostics;
using System.Text;

namespace ChargerFirmware.Tests.Interop;

/// <summary>
/// Two linked pseudo-terminals made by socat (both raw, no echo): what is written to one end is read
/// at the other, as on a serial cable. <see cref="Dispose"/> kills socat, which closes both ends.
/// </summary>
internal sealed class PtyPair : IDisposable
{
    private readonly Process _socat;
    private readonly StringBuilder _log = new();

    public PtyPair(string folder, string name)
    {
        DeviceEnd = Path.Combine(folder, name + "-device");
        BusEnd = Path.Combine(folder, name + "-bus");
        var start = new ProcessStartInfo(InteropTools.Socat(),
            ["-d", "-d", $"pty,raw,echo=0,link={DeviceEnd}", $"pty,raw,echo=0,link={BusEnd}"])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _socat = Process.Start(start)!;
        _socat.ErrorDataReceived += (_, e) =>
        {
            lock (_log)
            {
                _log.AppendLine(e.Data);
            }
        };
        _socat.BeginErrorReadLine();

        var watch = Stopwatch.StartNew();
        while (!(File.Exists(DeviceEnd) && File.Exists(BusEnd)))
        {
            if (_socat.HasExited || watch.ElapsedMilliseconds > 10_000)
            {
                throw new InvalidOperationException("socat made no pty pair: " + Log);
            }

            Thread.Sleep(5);
        }
    }

    /// <summary>The end a device (the master, a slave) opens.</summary>
    public string DeviceEnd { get; }

    /// <summary>The end the bus proxy opens.</summary>
    public string BusEnd { get; }

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

    public void Dispose()
    {
        if (!_socat.HasExited)
        {
            _socat.Kill();
            _socat.WaitForExit(5_000);
        }

        _socat.Dispose();
    }
}
