using ChargerFirmware.App;
using ChargerFirmware.Config;
using ChargerFirmware.Control;
using ChargerFirmware.Diagnostics;
using ChargerFirmware.Drivers.Serial;
using ChargerFirmware.Tests.Link;
using ChargerFirmware.Tests.Support;
using ChargerFirmware.VirtualHardware;
using Xunit;

namespace ChargerFirmware.Tests.App;

/// <summary>The composed charger on real threads: every worker runs, and a dead one is restarted.</summary>
public class ChargerAppTests
{
    /// <summary>A console line that ends whenever the test says (a cable pulled), then works again.</summary>
    private sealed class PluggableStream : IByteStream
    {
        private volatile bool _ended;

        public void Pull() => _ended = true;

        public void Replug() => _ended = false;

        public int Read(byte[] buffer, int offset, int count, int timeoutMs)
        {
            if (_ended)
            {
                return -1;
            }

            Thread.Sleep(Math.Min(timeoutMs, 20));
            return 0;
        }

        public void Write(byte[] buffer, int offset, int count)
        {
        }
    }

    private static ChargerApp Compose(PluggableStream console, FakeTransport transport, MemoryStorage? storage = null, Action<ChargerHardware>? more = null)
    {
        var clock = new ManualClock();
        var pilot = new VirtualPilot();
        var hardware = new ChargerHardware
        {
            Clock = clock,
            PilotSampler = pilot,
            PilotPwm = pilot,
            Contactor = new VirtualContactor(),
            Rcd = new VirtualRcd(),
            Converter = new InstantConverter(),
            Modem = new FakeModem(),
            Temperature = new VirtualTemperature(),
            Proximity = new VirtualProximity(),
            Entropy = new HostEntropy(),
            Storage = storage ?? new MemoryStorage(),
        };
        more?.Invoke(hardware);
        return new ChargerApp(hardware, transport, console, new VirtualSystemControl(), null);
    }

    private static void Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, what);
            Thread.Sleep(10);
        }
    }

    [Fact]
    public void Every_worker_runs_and_a_dead_one_is_restarted()
    {
        var console = new PluggableStream();
        var transport = new FakeTransport();
        var app = Compose(console, transport);
        app.Start();
        try
        {
            Until(() => app.Loop.Ticks > 5, "the control loop ticks");
            Until(() => app.Link.Status.Connected, "the link connects");
            Assert.True(app.Loop.IsAlive && app.Supervisor.IsAlive && app.Link.IsAlive && app.Console.IsAlive);
            Assert.Equal(0, app.WatchWorkers());

            console.Pull();
            Until(() => !app.Console.IsAlive, "the console's thread ends with its stream");
            console.Replug();
            Assert.Equal(1, app.WatchWorkers());
            Assert.True(app.Console.IsAlive);
            Assert.Equal(1, app.Restarts);
            var entry = new EventLogEntry();
            Assert.True(app.Log.Copy(0, entry));
            Assert.Equal(LogCodes.WorkerRestarted, entry.Code);
        }
        finally
        {
            app.Stop();
        }

        Assert.False(app.Loop.IsAlive || app.Supervisor.IsAlive || app.Link.IsAlive || app.Console.IsAlive);
        Assert.Contains(transport.Published, p => p.Topic.EndsWith("/availability", StringComparison.Ordinal) && p.Payload == "offline");
    }

    [Fact]
    public void A_corrupt_stored_configuration_gives_defaults_and_the_settings_warning()
    {
        var storage = new MemoryStorage();
        storage.SetBytes(ConfigStore.DefaultFileName, new byte[20]);
        var clock = new ManualClock();
        var pilot = new VirtualPilot();
        var hardware = new ChargerHardware
        {
            Clock = clock, PilotSampler = pilot, PilotPwm = pilot, Contactor = new VirtualContactor(), Rcd = new VirtualRcd(),
            Converter = new InstantConverter(), Modem = new FakeModem(), Temperature = new VirtualTemperature(),
            Proximity = new VirtualProximity(), Entropy = new HostEntropy(), Storage = storage,
        };
        var app = new ChargerApp(hardware, new FakeTransport(), new PluggableStream(), new VirtualSystemControl(), null);
        Assert.True(app.ConfigStore.Fault);
        Assert.Equal(new ChargerConfig().MaxCurrentA, app.Config.MaxCurrentA);
        clock.Advance(20);
        app.Loop.RunOnce();
        Assert.True(app.Charger.Faults.IsActive(ChargerFirmware.Faults.FaultCode.Settings));
    }

    [Fact]
    public void The_stored_field_bus_settings_reach_the_bus_the_drivers_were_built_on()
    {
        // The device builds the bus before the configuration is loaded: the app takes its objects over.
        var storage = new MemoryStorage();
        var stored = new ChargerConfig();
        stored.FieldBus.ResponseTimeoutMs = 700;
        stored.FieldBus.InterFrameGapMs = 20;
        stored.ConverterBus.CyclePeriodMs = 400;
        stored.ModemBus.PollPeriodMs = 2_000;
        Assert.True(new ConfigStore(storage, ConfigStore.DefaultFileName).Save(stored));

        var timing = new ChargerFirmware.Drivers.Modbus.ModbusTiming();
        var converter = new ChargerFirmware.Drivers.SunSpec.SunSpecConverterOptions();
        var modem = new ChargerFirmware.Drivers.Modem.ModemModuleOptions();
        ChargerApp app = Compose(new PluggableStream(), new FakeTransport(), storage, hardware =>
        {
            hardware.FieldBus = timing;
            hardware.ConverterBus = converter;
            hardware.ModemBus = modem;
        });

        Assert.Same(timing, app.Config.FieldBus);
        Assert.Equal(700, timing.ResponseTimeoutMs);
        Assert.Equal(20, timing.InterFrameGapMs);
        Assert.Equal(400, converter.CyclePeriodMs);
        Assert.Equal(2_000, modem.PollPeriodMs);

        // A technician's change goes to the same objects, live.
        Assert.True(ConfigRegistry.Apply(app.Config, ConfigRegistry.ModbusRetries, 3, null));
        Assert.Equal(3, timing.Retries);
        Assert.False(ConfigRegistry.NeedsReboot(ConfigRegistry.ModbusRetries));
    }
}
