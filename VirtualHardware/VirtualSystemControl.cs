using ChargerFirmware.Drivers.Platform;

namespace ChargerFirmware.VirtualHardware;

/// <summary>The simulator's restart: counts requests and runs an optional action (the simulator rebuilds the charger).</summary>
public sealed class VirtualSystemControl : ISystemControl
{
    private readonly Action? _onReboot;

    /// <summary>A system control that runs <paramref name="onReboot"/> (if any) on each restart.</summary>
    public VirtualSystemControl(Action? onReboot = null)
    {
        _onReboot = onReboot;
    }

    /// <summary>Restarts asked for so far.</summary>
    public int Reboots { get; private set; }

    /// <inheritdoc />
    public void Reboot()
    {
        Reboots++;
        _onReboot?.Invoke();
    }
}
