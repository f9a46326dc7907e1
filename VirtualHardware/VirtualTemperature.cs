using ChargerFirmware.Drivers.Temperature;

namespace ChargerFirmware.VirtualHardware;

/// <summary>A temperature sensor with a settable reading and an injectable failure.</summary>
public sealed class VirtualTemperature : ITemperatureSensor
{
    /// <summary>The reading in deci-Celsius; starts at 25.0 C.</summary>
    public int DeciCelsius { get; set; } = 250;

    /// <summary>Injected sensor failure: <see cref="TryRead"/> returns false.</summary>
    public bool Failed { get; set; }

    /// <inheritdoc />
    public bool TryRead(out int deciCelsius)
    {
        deciCelsius = Failed ? 0 : DeciCelsius;
        return !Failed;
    }
}
