namespace ChargerFirmware.VirtualHardware;

/// <summary>Thrown by <see cref="MemoryStorage"/> when its write budget runs out: the power failed mid-write.</summary>
public sealed class PowerCutException : IOException
{
    /// <summary>A power cut.</summary>
    public PowerCutException()
        : base("power cut")
    {
    }

    /// <summary>A power cut with a note.</summary>
    public PowerCutException(string message)
        : base(message)
    {
    }

    /// <summary>A power cut with a note and a cause.</summary>
    public PowerCutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
