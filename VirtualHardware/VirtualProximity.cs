using ChargerFirmware.Drivers.Proximity;

namespace ChargerFirmware.VirtualHardware;

/// <summary>A proximity pilot with a settable resistance and an injectable failure.</summary>
public sealed class VirtualProximity : IProximitySensor
{
    /// <summary>What an open circuit (no cable) reads, in ohms.</summary>
    public const int OpenCircuitOhms = 1_000_000;

    /// <summary>The resistance in ohms; starts with a 32 A cable (220 ohm).</summary>
    public int Ohms { get; set; } = 220;

    /// <summary>Injected read failure: <see cref="TryReadOhms"/> returns false.</summary>
    public bool Failed { get; set; }

    /// <inheritdoc />
    public bool TryReadOhms(out int ohms)
    {
        ohms = Failed ? 0 : Ohms;
        return !Failed;
    }
}
