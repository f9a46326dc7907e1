using System.Diagnostics;
using System.Runtime.InteropServices;
using ChargerFirmware.Drivers.Modbus;
using ChargerFirmware.Drivers.Serial;

namespace ChargerFirmware.VirtualHardware;

/// <summary>
/// A serial line on the host: a terminal device (a pseudo-terminal from socat, a USB adapter)
/// opened non-blocking and set raw with <c>stty</c> (no echo, no line editing, 8 bits). It is an
/// <see cref="IModbusPort"/> for the Modbus master (reads take what has arrived, never wait) and
/// an <see cref="IByteStream"/> for the console. Linux only; host only (the device has its UART).
/// </summary>
public sealed class PtyPort : IModbusPort, IByteStream, IDisposable
{
    private const int OpenReadWrite = 2;
    private const int OpenNoControllingTerminal = 0x100;
    private const int OpenNonBlocking = 0x800;
    private const int TryAgain = 11;

    private readonly byte[] _readScratch = new byte[4096];
    private readonly byte[] _writeScratch = new byte[4096];
    private int _fd;

    /// <summary>Opens <paramref name="path"/> and makes it raw; throws <see cref="IOException"/> when it cannot.</summary>
    public PtyPort(string path)
    {
        Path = path;
        MakeRaw(path);
        _fd = open(path, OpenReadWrite | OpenNoControllingTerminal | OpenNonBlocking);
        if (_fd < 0)
        {
            throw new IOException($"cannot open {path}: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>The device's path.</summary>
    public string Path { get; }

    /// <summary>Writes every byte, waiting while the line's buffer is full; throws <see cref="IOException"/> on a closed line.</summary>
    public void Write(byte[] buffer, int offset, int count)
    {
        while (count > 0)
        {
            int chunk = Math.Min(count, _writeScratch.Length);
            Array.Copy(buffer, offset, _writeScratch, 0, chunk);
            nint written = write(Descriptor(), _writeScratch, chunk);
            if (written < 0)
            {
                int error = Marshal.GetLastPInvokeError();
                if (error != TryAgain)
                {
                    throw new IOException($"write to {Path} failed: errno {error}");
                }

                Thread.Sleep(1);
                continue;
            }

            offset += (int)written;
            count -= (int)written;
        }
    }

    /// <summary>The bytes that have arrived, at most <paramref name="count"/>; 0 when none. Throws <see cref="IOException"/> on a closed line.</summary>
    public int Read(byte[] buffer, int offset, int count)
    {
        nint got = read(Descriptor(), _readScratch, Math.Min(count, _readScratch.Length));
        if (got < 0)
        {
            int error = Marshal.GetLastPInvokeError();
            if (error == TryAgain)
            {
                return 0;
            }

            throw new IOException($"read from {Path} failed: errno {error}");
        }

        Array.Copy(_readScratch, 0, buffer, offset, (int)got);
        return (int)got;
    }

    /// <summary>Waits up to <paramref name="timeoutMs"/> for bytes; 0 on timeout, -1 when the line has closed.</summary>
    public int Read(byte[] buffer, int offset, int count, int timeoutMs)
    {
        long deadline = Environment.TickCount64 + timeoutMs;
        while (true)
        {
            int read;
            try
            {
                read = Read(buffer, offset, count);
            }
            catch (IOException)
            {
                return -1;
            }

            if (read > 0 || Environment.TickCount64 >= deadline)
            {
                return read;
            }

            Thread.Sleep(1);
        }
    }

    /// <summary>Closes the device.</summary>
    public void Dispose()
    {
        int fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            // Closing a terminal only fails for a bad descriptor: nothing is left to release either way.
            _ = close(fd);
        }
    }

    private int Descriptor()
    {
        int fd = _fd;
        return fd >= 0 ? fd : throw new IOException($"{Path} is closed");
    }

    private static void MakeRaw(string path)
    {
        var start = new ProcessStartInfo("stty", ["-F", path, "raw", "-echo", "cs8"])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using Process stty = Process.Start(start) ?? throw new IOException("stty did not start");
        string error = stty.StandardError.ReadToEnd();
        stty.WaitForExit();
        if (stty.ExitCode != 0)
        {
            throw new IOException($"stty -F {path} raw failed: {error.Trim()}");
        }
    }

    [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int open(string path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern nint read(int fd, byte[] buffer, nint count);

    [DllImport("libc", SetLastError = true)]
    private static extern nint write(int fd, byte[] buffer, nint count);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);
}
