using ChargerFirmware.Drivers;
using ChargerFirmware.Drivers.Contactor;
using ChargerFirmware.Drivers.Converter;
using ChargerFirmware.Drivers.Entropy;
using ChargerFirmware.Drivers.Modbus;
using ChargerFirmware.Drivers.Modem;
using ChargerFirmware.Drivers.Pilot;
using ChargerFirmware.Drivers.Platform;
using ChargerFirmware.Drivers.Proximity;
using ChargerFirmware.Drivers.Rcd;
using ChargerFirmware.Drivers.Storage;
using ChargerFirmware.Drivers.SunSpec;
using ChargerFirmware.Drivers.Temperature;

namespace ChargerFirmware.Control
{
    /// <summary>
    /// Every part the charger touches, behind its interface: device adapters on the board, virtual
    /// parts on the host. The composition root fills it once at start.
    /// </summary>
    public sealed class ChargerHardware
    {
        /// <summary>Time.</summary>
        public IClock Clock = null!;

        /// <summary>Pilot sampling (ADC bursts synchronised to the PWM).</summary>
        public IPilotSampler PilotSampler = null!;

        /// <summary>Pilot PWM output.</summary>
        public IPilotPwm PilotPwm = null!;

        /// <summary>Main contactor with feedback.</summary>
        public IContactor Contactor = null!;

        /// <summary>Residual current monitor.</summary>
        public IResidualCurrentMonitor Rcd = null!;

        /// <summary>Bidirectional converter.</summary>
        public IConverter Converter = null!;

        /// <summary>Power-line modem (vehicle SOC and limits).</summary>
        public IPowerLineModem Modem = null!;

        /// <summary>Internal temperature sensor.</summary>
        public ITemperatureSensor Temperature = null!;

        /// <summary>Proximity pilot (cable rating); unused with a tethered cable.</summary>
        public IProximitySensor Proximity = null!;

        /// <summary>Random bytes for nonces and session ids.</summary>
        public IEntropySource Entropy = null!;

        /// <summary>Flash storage for settings and the ledger.</summary>
        public IStorage Storage = null!;

        /// <summary>The service button inside the enclosure (the service procedure for damaged PIN state), or null when there is none.</summary>
        public IServiceButton? ServiceButton;

        /// <summary>Links that must be stepped every tick (Modbus converter and modem), in order; may be empty.</summary>
        public IPolled[] Polled = new IPolled[0];

        /// <summary>The timing the RS-485 master and its drivers read, or null without a bus: the configuration takes it over and fills it.</summary>
        public ModbusTiming? FieldBus;

        /// <summary>The converter driver's settings, or null: the configuration takes them over (converter-poll-ms).</summary>
        public SunSpecConverterOptions? ConverterBus;

        /// <summary>The ISO 15118 module driver's settings, or null: the configuration takes them over (modem-poll-ms).</summary>
        public ModemModuleOptions? ModemBus;
    }
}
