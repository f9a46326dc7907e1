using ChargerFirmware.Drivers.Platform;

namespace ChargerFirmware.VirtualHardware;

/// <summary>The service button a test or the simulator presses (held during the next start).</summary>
public sealed class VirtualServiceButton : IServiceButton
{
    /// <summary>True while held.</summary>
    public bool Held { get; set; }

    /// <summary>Times the firmware asked.</summary>
    public int Reads { get; private set; }

    /// <inheritdoc />
    public bool IsPressed
    {
        get
        {
            Reads++;
            return Held;
        }
    }
}
