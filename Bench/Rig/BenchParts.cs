using ChargerFirmware.Drivers;
using ChargerFirmware.Drivers.Serial;
using ChargerFirmware.Link;
using ChargerFirmware.VirtualHardware;

namespace ChargerFirmware.Bench.Rig;

/// <summary>
/// The host-only half of a bench charger: the virtual parts behind the driver interfaces. Kept apart
/// from <see cref="BenchCharger"/> so the memory bench can build these first and count only the
/// portable object graph the device would hold.
/// </summary>
public sealed class BenchParts
{
    public BenchParts(IClock clock, MemoryStorage? storage = null)
    {
        Clock = clock;
        Manual = clock as ManualClock;
        Modem = new SteadyModem(clock);
        Storage = storage ?? new MemoryStorage();
    }

    public IClock Clock { get; }

    /// <summary>The clock when it is a manual one (micro benches), otherwise null (real time).</summary>
    public ManualClock? Manual { get; }

    public VirtualPilot Pilot { get; } = new();

    public VirtualContactor Contactor { get; } = new();

    public VirtualRcd Rcd { get; } = new();

    public VirtualTemperature Temperature { get; } = new();

    public VirtualProximity Proximity { get; } = new();

    public InstantConverter Converter { get; } = new();

    public SteadyModem Modem { get; }

    public HostEntropy Entropy { get; } = new();

    public VirtualSystemControl System { get; } = new();

    /// <summary>The MQTT client the app's link gets (by default one that never connects; the macro benches give MQTTnet).</summary>
    public IMqttTransport Transport { get; init; } = new OfflineTransport();

    /// <summary>The console line a composed app gets (by default one nobody types on).</summary>
    public IByteStream ConsoleLine { get; init; } = new IdleConsoleLine();

    /// <summary>The driver's panel a composed app gets.</summary>
    public BlankPanel Panel { get; } = new();

    public MemoryStorage Storage { get; }
}
