using ChargerFirmware.Drivers.Modbus;
using ChargerFirmware.Drivers.Modem;
using ChargerFirmware.Drivers.SunSpec;

namespace ChargerFirmware.Config
{
    /// <summary>
    /// Every setting of the charger, in integer units, with the defaults a new charger starts with.
    /// The console's config command lists, reads and changes these through <c>ConfigRegistry</c>.
    /// </summary>
    public sealed class ChargerConfig
    {
        /// <summary>The charger's id: the MQTT topic prefix is <c>chargers/{ChargerId}</c> by default.</summary>
        public string ChargerId = "charger-1";

        /// <summary>ISO 4217 code of the currency the charger settles in.</summary>
        public string Currency = "JPY";

        /// <summary>Control loop period in ms.</summary>
        public int TickMs = 20;

        /// <summary>How long a pilot state must be stable before a move that grants power (for example B to C) is accepted, ms.</summary>
        public int PilotDebounceMs = 250;

        /// <summary>How long a pilot state must be stable before a move that removes power (leaving C/D, to A, E, F) is accepted, ms.</summary>
        public int PilotLeaveDebounceMs = 25;

        /// <summary>The most current this installation may offer, in A (supply and converter rating).</summary>
        public int MaxCurrentA = 32;

        /// <summary>Nominal line voltage in V, to turn pilot and cable current into watts.</summary>
        public int NominalVoltageV = 230;

        /// <summary>Number of phases the converter uses.</summary>
        public int Phases = 1;

        /// <summary>Rating of a tethered cable in A; 0 when the socket takes the driver's cable and the proximity pilot codes its rating.</summary>
        public int TetheredCableA = 32;

        /// <summary>True when the site has ventilation, so state D (ventilation required) may charge.</summary>
        public bool VentilationAvailable;

        /// <summary>How long after a self-clearing fault goes away before the charger tries again, ms.</summary>
        public int FaultRetryMs = 10000;

        /// <summary>How long the pilot is held in state F after a fault before a retry, ms.</summary>
        public int FaultPilotFMs = 300;

        /// <summary>The supervisor calls the loop stalled when no tick ran for this long, ms.</summary>
        public int StallMs = 500;

        /// <summary>The technician's console logs out after this long without a command, ms.</summary>
        public int ConsoleIdleMs = 600000;

        /// <summary>True when the technician's console echoes what is typed and shows a prompt (off for scripts).</summary>
        public bool ConsoleEcho = true;

        /// <summary>How long the driver has to answer the consent prompt; silence counts as Deny, ms.</summary>
        public int ConsentTimeoutMs = 120000;

        /// <summary>True when the driver may answer the consent prompt from a phone (through the aggregator link).</summary>
        public bool RemoteConsentEnabled = true;

        /// <summary>The charger's local time offset from UTC in minutes, for the driver's weekly windows.</summary>
        public int UtcOffsetMinutes = 540;

        /// <summary>An SOC older than this is no SOC, ms.</summary>
        public int SocMaxAgeMs = 60000;

        /// <summary>Setpoint ramp in W per second (the dispatch may ask for slower).</summary>
        public int RampWps = 2000;

        /// <summary>How long an active dispatch outlives the broker's last proof of life, ms.</summary>
        public int DispatchOfflineLimitMs = 60000;

        /// <summary>How far in the future a dispatch's issuedAt may lie before it is rejected, ms.</summary>
        public int ClockSkewMs = 30000;

        /// <summary>How long after its issuedAt a dispatch may arrive; older ones are refused as stale, ms (default 5 min).</summary>
        public int DispatchMaxAgeMs = 300000;

        /// <summary>The highest buying price any dispatch may charge the driver, milli-currency per kWh, delegated or not (default 100.000).</summary>
        public int BuyPriceCeilingMilli = 100000;

        /// <summary>The lowest selling price any dispatch may pay the driver, milli-currency per kWh, delegated or not (default 1.000).</summary>
        public int SellPriceFloorMilli = 1000;

        /// <summary>How much the vehicle's reported state of charge may overstate the real one, per-mille (10: whole percent); the floor keeps this margin.</summary>
        public int SocResolutionPermille = 10;

        /// <summary>Status is republished at least this often as a heartbeat, ms.</summary>
        public int StatusHeartbeatMs = 30000;

        /// <summary>Status publications on change are at most this frequent, ms.</summary>
        public int StatusMinIntervalMs = 1000;

        /// <summary>Telemetry period while a session runs, ms.</summary>
        public int TelemetryPeriodMs = 10000;

        /// <summary>Most flash the ledger's journal may take before acknowledged records are compacted away, bytes.</summary>
        public int LedgerMaxBytes = 128 * 1024;

        /// <summary>MQTT topic prefix; <c>{chargerId}</c> is replaced by the charger id.</summary>
        public string TopicPrefix = "chargers/{chargerId}";

        /// <summary>Broker host name or address.</summary>
        public string BrokerHost = "127.0.0.1";

        /// <summary>Broker port (1883 plain, 8883 TLS).</summary>
        public int BrokerPort = 1883;

        /// <summary>True to connect to the broker over TLS.</summary>
        public bool BrokerTls;

        /// <summary>Broker user name, or empty.</summary>
        public string BrokerUser = string.Empty;

        /// <summary>Broker password, or empty. A secret: never shown by the console or sent in a status.</summary>
        public string BrokerPassword = string.Empty;

        /// <summary>Wi-Fi network the charger joins, or empty.</summary>
        public string WifiSsid = string.Empty;

        /// <summary>Wi-Fi password, or empty. A secret: never shown by the console.</summary>
        public string WifiPassword = string.Empty;

        /// <summary>SNTP server that sets the charger's clock.</summary>
        public string TimeServer = "pool.ntp.org";

        /// <summary>First reconnect delay after the link drops, ms (doubles up to the cap, with jitter).</summary>
        public int ReconnectMinMs = 1000;

        /// <summary>Longest reconnect delay, ms (the link never waits more than a quarter of the offline limit).</summary>
        public int ReconnectMaxMs = 10000;

        /// <summary>After this long without hearing from the broker, the link asks it for a proof of life (PINGREQ), ms.</summary>
        public int BrokerProbeMs = 10000;

        /// <summary>A request the broker leaves unanswered this long (a probe, a QoS 1 publish) means it is gone: the link reconnects, ms.</summary>
        public int BrokerAnswerMs = 10000;

        /// <summary>
        /// The RS-485 bus's timing (modbus-timeout-ms, modbus-gap-ms, modbus-retries,
        /// modbus-backoff-max-ms). The composition root hands the bus's own object over
        /// (<c>ChargerHardware.FieldBus</c>), so a loaded or changed setting reaches the master.
        /// </summary>
        public ModbusTiming FieldBus = new ModbusTiming();

        /// <summary>The converter driver's settings; converter-poll-ms sets its poll period. Handed over like <see cref="FieldBus"/>.</summary>
        public SunSpecConverterOptions ConverterBus = new SunSpecConverterOptions();

        /// <summary>The ISO 15118 module driver's settings; modem-poll-ms sets its poll period. Handed over like <see cref="FieldBus"/>.</summary>
        public ModemModuleOptions ModemBus = new ModemModuleOptions();
    }
}
