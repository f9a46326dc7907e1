using ChargerFirmware.Drivers.Serial;

namespace ChargerFirmware.Simulator.Hardware;

/// <summary>
/// A simulated charger's console port: idle (nothing read, writes dropped) until a terminal is
/// attached, as a UART with no cable. Lets every charger of a fleet have its console without a
/// pipe per charger; only the one a user talks to gets one.
/// </summary>
public sealed class SwitchableConsoleLine : IByteStream
{
    private volatile IByteStream? _attached;

    /// <summary>Plugs <paramref name="terminal"/> in.</summary>
    public void Attach(IByteStream terminal) => _attached = terminal;

    /// <summary>Unplugs the terminal.</summary>
    public void Detach() => _attached = null;

    /// <inheritdoc />
    public int Read(byte[] buffer, int offset, int count, int timeoutMs)
    {
        IByteStream? terminal = _attached;
        if (terminal != null)
        {
            return terminal.Read(buffer, offset, count, timeoutMs);
        }

        Thread.Sleep(Math.Min(timeoutMs, 50));
        return 0;
    }

    /// <inheritdoc />
    public void Write(byte[] buffer, int offset, int count) => _attached?.Write(buffer, offset, count);
}
