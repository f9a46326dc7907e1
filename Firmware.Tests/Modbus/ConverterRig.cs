using ChargerFirmware.Drivers.Converter;
using ChargerFirmware.Drivers.Modbus;
using ChargerFirmware.Drivers.Modem;
using ChargerFirmware.Drivers.SunSpec;
using ChargerFirmware.VirtualHardware;

namespace ChargerFirmware.Tests.Modbus;

/// <summary>
/// The whole link on one virtual RS-485 bus: a car on a virtual converter behind a SunSpec slave
/// (unit 1) and the 15118 modem module (unit 2), the real master and both real drivers.
/// </summary>
internal sealed class ConverterRig
{
    public const int TickMs = 10;

    public ConverterRig(
        int baseAddress = 40000,
        IReadOnlyList<(int Id, int Length)>? extraModels = null,
        bool withDcModel = true,
        int carSocPermille = 500,
        SunSpecConverterOptions? options = null)
    {
        Options = options ?? new SunSpecConverterOptions();
        Bus = new VirtualBus(Clock);
        Car = new VirtualCar(capacityWh: 40_000, socPermille: carSocPermille, maxChargeW: 11_000, maxDischargeW: 10_000);
        Converter = new VirtualConverter { Car = Car };
        Slave = new SunSpecSlave(Converter, Clock, baseAddress: baseAddress, extraModels: extraModels, withDcModel: withDcModel);
        Modem = new VirtualModemModule(Clock);
        Bus.Attach(Slave);
        Bus.Attach(Modem);
        Master = new ModbusMaster(Bus.MasterPort, Bus.BaudRate, Timing);
        Driver = new SunSpecConverter(Master, Options);
        ModemDriver = new ModemModule(Master, ModemOptions);
    }

    public ManualClock Clock { get; } = new();

    /// <summary>The bus timing with the configuration's defaults.</summary>
    public ModbusTiming Timing { get; } = new();

    public ModemModuleOptions ModemOptions { get; } = new();

    public VirtualBus Bus { get; }

    public VirtualCar Car { get; }

    public VirtualConverter Converter { get; }

    public SunSpecSlave Slave { get; }

    public VirtualModemModule Modem { get; }

    public ModbusMaster Master { get; }

    public SunSpecConverterOptions Options { get; }

    public SunSpecConverter Driver { get; }

    public ModemModule ModemDriver { get; }

    public ConverterReading Reading { get; } = new();

    public VehicleLinkReading Link { get; } = new();

    public bool StepModem { get; set; }

    public bool StepConverter { get; set; } = true;

    /// <summary>Runs the control loop for <paramref name="ms"/>; the converter physics follow lazily.</summary>
    public void Run(long ms)
    {
        for (long t = 0; t < ms; t += TickMs)
        {
            Tick();
        }

        Converter.Update(Clock.MonotonicMs);
    }

    public bool RunUntil(Func<bool> condition, long limitMs)
    {
        for (long t = 0; t < limitMs; t += TickMs)
        {
            Tick();
            if (condition())
            {
                return true;
            }
        }

        return false;
    }

    public void Tick()
    {
        Clock.Advance(TickMs);
        long now = Clock.MonotonicMs;
        if (StepConverter)
        {
            Driver.Poll(now);
        }

        if (StepModem)
        {
            ModemDriver.Poll(now);
        }
    }

    public bool Ready()
    {
        Driver.Read(Reading);
        return Reading.Ready;
    }

    public ConverterRig StartedAndReady()
    {
        if (!RunUntil(Ready, 5_000))
        {
            throw new InvalidOperationException("converter never became ready");
        }

        return this;
    }
}
