using ChargerFirmware.Drivers.Modbus;

namespace ChargerFirmware.Config
{
    /// <summary>
    /// The table of every <see cref="ChargerConfig"/> setting under an explicit console name, with its
    /// type, unit, valid range and whether it takes effect only after a restart. The console validates
    /// and reads through it; the control loop changes a running setting with <see cref="Apply"/>
    /// (posted as <c>ControlEventKind.SetConfig</c> with the index); <see cref="ConfigStore"/>
    /// stores settings by name. Integers and booleans travel as a long (booleans 0/1), texts as a string.
    /// </summary>
    public static class ConfigRegistry
    {
        /// <summary>Index of "charger-id".</summary>
        public const int ChargerId = 0;

        /// <summary>Index of "currency".</summary>
        public const int Currency = 1;

        /// <summary>Index of "tick-ms".</summary>
        public const int TickMs = 2;

        /// <summary>Index of "pilot-debounce-ms".</summary>
        public const int PilotDebounceMs = 3;

        /// <summary>Index of "pilot-leave-debounce-ms".</summary>
        public const int PilotLeaveDebounceMs = 4;

        /// <summary>Index of "max-current-a".</summary>
        public const int MaxCurrentA = 5;

        /// <summary>Index of "nominal-voltage-v".</summary>
        public const int NominalVoltageV = 6;

        /// <summary>Index of "phases".</summary>
        public const int Phases = 7;

        /// <summary>Index of "tethered-cable-a".</summary>
        public const int TetheredCableA = 8;

        /// <summary>Index of "ventilation".</summary>
        public const int Ventilation = 9;

        /// <summary>Index of "fault-retry-ms".</summary>
        public const int FaultRetryMs = 10;

        /// <summary>Index of "fault-pilot-f-ms".</summary>
        public const int FaultPilotFMs = 11;

        /// <summary>Index of "stall-ms".</summary>
        public const int StallMs = 12;

        /// <summary>Index of "console-idle-ms".</summary>
        public const int ConsoleIdleMs = 13;

        /// <summary>Index of "console-echo".</summary>
        public const int ConsoleEcho = 14;

        /// <summary>Index of "consent-timeout-ms".</summary>
        public const int ConsentTimeoutMs = 15;

        /// <summary>Index of "remote-consent".</summary>
        public const int RemoteConsent = 16;

        /// <summary>Index of "utc-offset-min".</summary>
        public const int UtcOffsetMin = 17;

        /// <summary>Index of "soc-max-age-ms".</summary>
        public const int SocMaxAgeMs = 18;

        /// <summary>Index of "ramp-wps".</summary>
        public const int RampWps = 19;

        /// <summary>Index of "offline-limit-ms".</summary>
        public const int OfflineLimitMs = 20;

        /// <summary>Index of "clock-skew-ms".</summary>
        public const int ClockSkewMs = 21;

        /// <summary>Index of "status-heartbeat-ms".</summary>
        public const int StatusHeartbeatMs = 22;

        /// <summary>Index of "status-min-interval-ms".</summary>
        public const int StatusMinIntervalMs = 23;

        /// <summary>Index of "telemetry-period-ms".</summary>
        public const int TelemetryPeriodMs = 24;

        /// <summary>Index of "ledger-max-bytes".</summary>
        public const int LedgerMaxBytes = 25;

        /// <summary>Index of "topic-prefix".</summary>
        public const int TopicPrefix = 26;

        /// <summary>Index of "broker-host".</summary>
        public const int BrokerHost = 27;

        /// <summary>Index of "broker-port".</summary>
        public const int BrokerPort = 28;

        /// <summary>Index of "broker-tls".</summary>
        public const int BrokerTls = 29;

        /// <summary>Index of "broker-user".</summary>
        public const int BrokerUser = 30;

        /// <summary>Index of "broker-password" (a secret: never shown).</summary>
        public const int BrokerPassword = 31;

        /// <summary>Index of "reconnect-min-ms".</summary>
        public const int ReconnectMinMs = 32;

        /// <summary>Index of "reconnect-max-ms".</summary>
        public const int ReconnectMaxMs = 33;

        /// <summary>Index of "wifi-ssid".</summary>
        public const int WifiSsid = 34;

        /// <summary>Index of "wifi-password" (a secret: never shown).</summary>
        public const int WifiPassword = 35;

        /// <summary>Index of "time-server".</summary>
        public const int TimeServer = 36;

        /// <summary>Index of "modbus-timeout-ms".</summary>
        public const int ModbusTimeoutMs = 37;

        /// <summary>Index of "modbus-gap-ms".</summary>
        public const int ModbusGapMs = 38;

        /// <summary>Index of "modbus-retries".</summary>
        public const int ModbusRetries = 39;

        /// <summary>Index of "modbus-backoff-max-ms".</summary>
        public const int ModbusBackoffMaxMs = 40;

        /// <summary>Index of "converter-poll-ms".</summary>
        public const int ConverterPollMs = 41;

        /// <summary>Index of "modem-poll-ms".</summary>
        public const int ModemPollMs = 42;

        /// <summary>Index of "broker-probe-ms".</summary>
        public const int BrokerProbeMs = 43;

        /// <summary>Index of "broker-answer-ms".</summary>
        public const int BrokerAnswerMs = 44;

        /// <summary>Index of "dispatch-max-age-ms".</summary>
        public const int DispatchMaxAgeMs = 45;

        /// <summary>Index of "buy-price-ceiling".</summary>
        public const int BuyPriceCeiling = 46;

        /// <summary>Index of "sell-price-floor".</summary>
        public const int SellPriceFloor = 47;

        /// <summary>Index of "soc-resolution-permille".</summary>
        public const int SocResolutionPermille = 48;

        /// <summary>Number of settings.</summary>
        public const int Count = 49;

        /// <summary>Longest text setting, characters.</summary>
        public const int MaxTextLength = 64;

        private static readonly string[] _names =
        {
            "charger-id", "currency", "tick-ms", "pilot-debounce-ms", "pilot-leave-debounce-ms", "max-current-a",
            "nominal-voltage-v", "phases", "tethered-cable-a", "ventilation", "fault-retry-ms", "fault-pilot-f-ms",
            "stall-ms", "console-idle-ms", "console-echo", "consent-timeout-ms", "remote-consent", "utc-offset-min",
            "soc-max-age-ms", "ramp-wps", "offline-limit-ms", "clock-skew-ms", "status-heartbeat-ms",
            "status-min-interval-ms", "telemetry-period-ms", "ledger-max-bytes", "topic-prefix", "broker-host", "broker-port",
            "broker-tls", "broker-user", "broker-password", "reconnect-min-ms", "reconnect-max-ms", "wifi-ssid",
            "wifi-password", "time-server", "modbus-timeout-ms", "modbus-gap-ms", "modbus-retries", "modbus-backoff-max-ms",
            "converter-poll-ms", "modem-poll-ms", "broker-probe-ms", "broker-answer-ms",
            "dispatch-max-age-ms", "buy-price-ceiling", "sell-price-floor", "soc-resolution-permille",
        };

        private static readonly int[] _types =
        {
            ConfigTypes.Text, ConfigTypes.Text, ConfigTypes.Integer, ConfigTypes.Integer, ConfigTypes.Integer, ConfigTypes.Integer,
            ConfigTypes.Integer, ConfigTypes.Integer, ConfigTypes.Integer, ConfigTypes.Boolean, ConfigTypes.Integer, ConfigTypes.Integer,
            ConfigTypes.Integer, ConfigTypes.Integer, ConfigTypes.Boolean, ConfigTypes.Integer, ConfigTypes.Boolean, ConfigTypes.Integer,
            ConfigTypes.Integer, ConfigTypes.Integer, ConfigTypes.Integer, ConfigTypes.Integer, ConfigTypes.Integer,
            ConfigTypes.Integer, ConfigTypes.Integer, ConfigTypes.Integer, ConfigTypes.Text, ConfigTypes.Text, ConfigTypes.Integer,
            ConfigTypes.Boolean, ConfigTypes.Text, ConfigTypes.Text, ConfigTypes.Integer, ConfigTypes.Integer,
            ConfigTypes.Text, ConfigTypes.Text, ConfigTypes.Text, ConfigTypes.Integer, ConfigTypes.Integer, ConfigTypes.Integer,
            ConfigTypes.Integer, ConfigTypes.Integer, ConfigTypes.Integer, ConfigTypes.Integer, ConfigTypes.Integer,
            ConfigTypes.Integer, ConfigTypes.Integer, ConfigTypes.Integer, ConfigTypes.Integer,
        };

        private static readonly string[] _units =
        {
            "", "", "ms", "ms", "ms", "A", "V", "", "A", "", "ms", "ms", "ms", "ms", "", "ms", "", "min", "ms", "W/s", "ms",
            "ms", "ms", "ms", "ms", "bytes", "", "", "", "", "", "", "ms", "ms", "", "", "", "ms", "ms", "", "ms", "ms", "ms", "ms", "ms",
            "ms", "milli/kWh", "milli/kWh", "per-mille",
        };

        // For texts: shortest and longest length.
        private static readonly int[] _min =
        {
            1, 3, 5, 50, 5, 6, 100, 1, 0, 0, 1000, 100, 100, 60000, 0, 10000, 0, -720, 1000, 100, 0, 0, 1000, 100, 1000,
            16384, 1, 1, 1, 0, 0, 0, 100, 1000, 0, 0, 1, ModbusTiming.MinResponseTimeoutMs, 0, 0,
            ModbusTiming.MinBackoffMaxMs, 50, 100, 500, 500,
            1000, 0, 0, 0,
        };

        private static readonly int[] _max =
        {
            32, 3, 100, 1000, 100, 80, 480, 3, 80, 1, 3600000, 5000, 10000, 3600000, 1, 3600000, 1, 840, 3600000,
            100000, 86400000, 3600000, 3600000, 60000, 3600000, 1048576, MaxTextLength, MaxTextLength, 65535, 1,
            MaxTextLength, MaxTextLength, 60000, 60000, 32, MaxTextLength, MaxTextLength, ModbusTiming.MaxResponseTimeoutMs,
            ModbusTiming.MaxInterFrameGapMs, ModbusTiming.MaxRetries, ModbusTiming.MaxBackoffMaxMs, 10000, 60000, 60000, 60000,
            86400000, 1000000000, 1000000000, 100,
        };

        // Read once at start (by constructors or other threads' setup): a change needs a restart.
        private static readonly bool[] _reboot =
        {
            true, true, true, true, true, false, false, false, false, false, false, false, true, false, false, false, false,
            false, false, false, false, false, false, false, false, true, true, true, true, true, true, true, true, true,
            true, true, true, false, false, false, false, false, false, false, false, false, false, false, false,
        };

        private static readonly string[] _descriptions =
        {
            "The charger's id; its MQTT topics start with chargers/<id>. Letters, digits, '-' and '_'.",
            "ISO 4217 code of the currency the charger settles in: three capital letters.",
            "Control loop period.",
            "How long a pilot state must be stable before a move that grants power (B to C) is accepted.",
            "How long a pilot state must be stable before a move that removes power is accepted.",
            "The most current this installation may offer (supply and converter rating).",
            "Nominal line voltage, to turn pilot and cable current into watts.",
            "Number of phases the converter uses.",
            "Rating of a tethered cable; 0 for a socket (the proximity pilot codes the cable), else 6 to 80.",
            "On when the site has ventilation, so pilot state D may charge.",
            "How long after a self-clearing fault goes away the charger tries again.",
            "How long the pilot is held in state F after a fault before a retry.",
            "The supervisor calls the control loop stalled after this long without a tick.",
            "The technician's console logs out after this long without a command.",
            "On: the console echoes typing and shows a prompt. Off: for scripts.",
            "How long the driver has to answer the consent prompt; silence counts as deny. Next plug-in on.",
            "On when the driver may answer the consent prompt from a phone.",
            "The local time offset from UTC, for the driver's weekly windows and local dates.",
            "A state of charge older than this is no state of charge.",
            "Setpoint ramp (a dispatch may ask for slower).",
            "How long an active dispatch outlives the broker's last proof of life (an answer to the charger).",
            "How far in the future a dispatch's issue time may lie before it is refused.",
            "Status is republished at least this often as a heartbeat.",
            "Status publications on change are at most this frequent.",
            "Telemetry period while a session runs.",
            "Most flash the ledger's journal may take before acknowledged records are compacted away.",
            "MQTT topic prefix; {chargerId} is replaced by the charger id. No spaces, '+' or '#'.",
            "Broker host name or address.",
            "Broker TCP port (1883 plain, 8883 TLS).",
            "On to connect to the broker over TLS.",
            "Broker user name; \"\" for none.",
            "Broker password; \"\" for none. A secret: stored, never shown.",
            "First reconnect delay after the link drops (doubles up to reconnect-max-ms).",
            "Longest reconnect delay (never above a quarter of offline-limit-ms).",
            "Wi-Fi network the charger joins; \"\" for none (wired or host).",
            "Wi-Fi password; \"\" for an open network. A secret: stored, never shown.",
            "SNTP server that sets the charger's clock.",
            "RS-485: how long a device has to answer, beyond the frames' time on the wire; after an unanswered request the bus stays silent this long again. At least the longest response timeout of any device on the bus.",
            "RS-485: silence kept before every request (never less than 3.5 characters); raise it for devices that need time between frames.",
            "RS-485: repeats of a request after no answer or a corrupt one (a device that stopped answering is probed once).",
            "RS-485: longest wait between probes of a device that stopped answering (the wait doubles from its poll period), so it leaves the bus to the others.",
            "How often the converter's measurements and storage status are read.",
            "How often the ISO 15118 module's registers are read.",
            "The broker is asked for a proof of life (PINGREQ) after this long without hearing from it.",
            "A request the broker leaves unanswered this long (a ping, a QoS 1 publish) means it is gone: reconnect.",
            "A dispatch received longer than this after its issue time is refused as stale.",
            "Highest buying price any dispatch may charge the driver, in milli-currency per kWh (100000 = 100.000), even when the driver leaves prices to the aggregator.",
            "Lowest selling price any dispatch may pay the driver, in milli-currency per kWh, even when the driver leaves prices to the aggregator.",
            "How much the vehicle's reported state of charge may overstate the real one (10 = whole percent); the floor is kept with this margin.",
        };

        /// <summary>The console name of setting <paramref name="index"/>.</summary>
        public static string Name(int index)
        {
            return _names[index];
        }

        /// <summary>The index of the setting called <paramref name="name"/>, or -1.</summary>
        public static int IndexOf(string name)
        {
            for (int i = 0; i < Count; i++)
            {
                if (_names[i] == name)
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>The setting's type, a <see cref="ConfigTypes"/> constant.</summary>
        public static int Type(int index)
        {
            return _types[index];
        }

        /// <summary>The setting's unit ("ms", "A"…), empty when it has none.</summary>
        public static string Unit(int index)
        {
            return _units[index];
        }

        /// <summary>The smallest valid value (for a text: the shortest length).</summary>
        public static int Min(int index)
        {
            return _min[index];
        }

        /// <summary>The largest valid value (for a text: the longest length).</summary>
        public static int Max(int index)
        {
            return _max[index];
        }

        /// <summary>True when a change takes effect only after a restart.</summary>
        public static bool NeedsReboot(int index)
        {
            return _reboot[index];
        }

        /// <summary>True for a secret: the console shows only whether it is set, never its value.</summary>
        public static bool IsSecret(int index)
        {
            return index == BrokerPassword || index == WifiPassword;
        }

        /// <summary>One sentence on what the setting does.</summary>
        public static string Description(int index)
        {
            return _descriptions[index];
        }

        /// <summary>True when <paramref name="value"/> (integers, booleans 0/1) or <paramref name="text"/> (texts) is valid for setting <paramref name="index"/>.</summary>
        public static bool IsValid(int index, long value, string? text)
        {
            if (index < 0 || index >= Count)
            {
                return false;
            }

            if (_types[index] == ConfigTypes.Text)
            {
                return text != null && text.Length >= _min[index] && text.Length <= _max[index] && IsValidText(index, text);
            }

            if (value < _min[index] || value > _max[index])
            {
                return false;
            }

            // A tethered cable below 6 A could not be offered at all (no pilot duty exists for it).
            return index != TetheredCableA || value == 0 || value >= 6;
        }

        /// <summary>The value of an integer or boolean setting (booleans as 0/1); 0 for a text.</summary>
        public static long GetNumber(ChargerConfig c, int index)
        {
            switch (index)
            {
                case TickMs:
                    return c.TickMs;
                case PilotDebounceMs:
                    return c.PilotDebounceMs;
                case PilotLeaveDebounceMs:
                    return c.PilotLeaveDebounceMs;
                case MaxCurrentA:
                    return c.MaxCurrentA;
                case NominalVoltageV:
                    return c.NominalVoltageV;
                case Phases:
                    return c.Phases;
                case TetheredCableA:
                    return c.TetheredCableA;
                case Ventilation:
                    return c.VentilationAvailable ? 1 : 0;
                case FaultRetryMs:
                    return c.FaultRetryMs;
                case FaultPilotFMs:
                    return c.FaultPilotFMs;
                case StallMs:
                    return c.StallMs;
                case ConsoleIdleMs:
                    return c.ConsoleIdleMs;
                case ConsoleEcho:
                    return c.ConsoleEcho ? 1 : 0;
                case ConsentTimeoutMs:
                    return c.ConsentTimeoutMs;
                case RemoteConsent:
                    return c.RemoteConsentEnabled ? 1 : 0;
                case UtcOffsetMin:
                    return c.UtcOffsetMinutes;
                case SocMaxAgeMs:
                    return c.SocMaxAgeMs;
                case RampWps:
                    return c.RampWps;
                case OfflineLimitMs:
                    return c.DispatchOfflineLimitMs;
                case ClockSkewMs:
                    return c.ClockSkewMs;
                case StatusHeartbeatMs:
                    return c.StatusHeartbeatMs;
                case StatusMinIntervalMs:
                    return c.StatusMinIntervalMs;
                case TelemetryPeriodMs:
                    return c.TelemetryPeriodMs;
                case LedgerMaxBytes:
                    return c.LedgerMaxBytes;
                case BrokerPort:
                    return c.BrokerPort;
                case BrokerTls:
                    return c.BrokerTls ? 1 : 0;
                case ReconnectMinMs:
                    return c.ReconnectMinMs;
                case ReconnectMaxMs:
                    return c.ReconnectMaxMs;
                case ModbusTimeoutMs:
                    return c.FieldBus.ResponseTimeoutMs;
                case ModbusGapMs:
                    return c.FieldBus.InterFrameGapMs;
                case ModbusRetries:
                    return c.FieldBus.Retries;
                case ModbusBackoffMaxMs:
                    return c.FieldBus.BackoffMaxMs;
                case ConverterPollMs:
                    return c.ConverterBus.CyclePeriodMs;
                case ModemPollMs:
                    return c.ModemBus.PollPeriodMs;
                case BrokerProbeMs:
                    return c.BrokerProbeMs;
                case BrokerAnswerMs:
                    return c.BrokerAnswerMs;
                case DispatchMaxAgeMs:
                    return c.DispatchMaxAgeMs;
                case BuyPriceCeiling:
                    return c.BuyPriceCeilingMilli;
                case SellPriceFloor:
                    return c.SellPriceFloorMilli;
                case SocResolutionPermille:
                    return c.SocResolutionPermille;
                default:
                    return 0;
            }
        }

        /// <summary>The value of a text setting; null for a number.</summary>
        public static string? GetText(ChargerConfig c, int index)
        {
            switch (index)
            {
                case ChargerId:
                    return c.ChargerId;
                case Currency:
                    return c.Currency;
                case TopicPrefix:
                    return c.TopicPrefix;
                case BrokerHost:
                    return c.BrokerHost;
                case BrokerUser:
                    return c.BrokerUser;
                case BrokerPassword:
                    return c.BrokerPassword;
                case WifiSsid:
                    return c.WifiSsid;
                case WifiPassword:
                    return c.WifiPassword;
                case TimeServer:
                    return c.TimeServer;
                default:
                    return null;
            }
        }

        /// <summary>
        /// Sets setting <paramref name="index"/> of <paramref name="c"/> to <paramref name="value"/> (integers,
        /// booleans 0/1) or <paramref name="text"/> (texts) when valid; false (nothing changed) otherwise.
        /// The control loop calls it for <c>ControlEventKind.SetConfig</c>; allocation-free.
        /// </summary>
        public static bool Apply(ChargerConfig c, int index, long value, string? text)
        {
            if (!IsValid(index, value, text))
            {
                return false;
            }

            int v = (int)value;
            switch (index)
            {
                case ChargerId:
                    c.ChargerId = text!;
                    break;
                case Currency:
                    c.Currency = text!;
                    break;
                case TopicPrefix:
                    c.TopicPrefix = text!;
                    break;
                case BrokerHost:
                    c.BrokerHost = text!;
                    break;
                case BrokerUser:
                    c.BrokerUser = text!;
                    break;
                case BrokerPassword:
                    c.BrokerPassword = text!;
                    break;
                case WifiSsid:
                    c.WifiSsid = text!;
                    break;
                case WifiPassword:
                    c.WifiPassword = text!;
                    break;
                case TimeServer:
                    c.TimeServer = text!;
                    break;
                case TickMs:
                    c.TickMs = v;
                    break;
                case PilotDebounceMs:
                    c.PilotDebounceMs = v;
                    break;
                case PilotLeaveDebounceMs:
                    c.PilotLeaveDebounceMs = v;
                    break;
                case MaxCurrentA:
                    c.MaxCurrentA = v;
                    break;
                case NominalVoltageV:
                    c.NominalVoltageV = v;
                    break;
                case Phases:
                    c.Phases = v;
                    break;
                case TetheredCableA:
                    c.TetheredCableA = v;
                    break;
                case Ventilation:
                    c.VentilationAvailable = v != 0;
                    break;
                case FaultRetryMs:
                    c.FaultRetryMs = v;
                    break;
                case FaultPilotFMs:
                    c.FaultPilotFMs = v;
                    break;
                case StallMs:
                    c.StallMs = v;
                    break;
                case ConsoleIdleMs:
                    c.ConsoleIdleMs = v;
                    break;
                case ConsoleEcho:
                    c.ConsoleEcho = v != 0;
                    break;
                case ConsentTimeoutMs:
                    c.ConsentTimeoutMs = v;
                    break;
                case RemoteConsent:
                    c.RemoteConsentEnabled = v != 0;
                    break;
                case UtcOffsetMin:
                    c.UtcOffsetMinutes = v;
                    break;
                case SocMaxAgeMs:
                    c.SocMaxAgeMs = v;
                    break;
                case RampWps:
                    c.RampWps = v;
                    break;
                case OfflineLimitMs:
                    c.DispatchOfflineLimitMs = v;
                    break;
                case ClockSkewMs:
                    c.ClockSkewMs = v;
                    break;
                case StatusHeartbeatMs:
                    c.StatusHeartbeatMs = v;
                    break;
                case StatusMinIntervalMs:
                    c.StatusMinIntervalMs = v;
                    break;
                case TelemetryPeriodMs:
                    c.TelemetryPeriodMs = v;
                    break;
                case LedgerMaxBytes:
                    c.LedgerMaxBytes = v;
                    break;
                case BrokerPort:
                    c.BrokerPort = v;
                    break;
                case BrokerTls:
                    c.BrokerTls = v != 0;
                    break;
                case ReconnectMinMs:
                    c.ReconnectMinMs = v;
                    break;
                case ReconnectMaxMs:
                    c.ReconnectMaxMs = v;
                    break;
                case ModbusTimeoutMs:
                    c.FieldBus.ResponseTimeoutMs = v;
                    break;
                case ModbusGapMs:
                    c.FieldBus.InterFrameGapMs = v;
                    break;
                case ModbusRetries:
                    c.FieldBus.Retries = v;
                    break;
                case ModbusBackoffMaxMs:
                    c.FieldBus.BackoffMaxMs = v;
                    break;
                case ConverterPollMs:
                    c.ConverterBus.CyclePeriodMs = v;
                    break;
                case ModemPollMs:
                    c.ModemBus.PollPeriodMs = v;
                    break;
                case BrokerProbeMs:
                    c.BrokerProbeMs = v;
                    break;
                case BrokerAnswerMs:
                    c.BrokerAnswerMs = v;
                    break;
                case DispatchMaxAgeMs:
                    c.DispatchMaxAgeMs = v;
                    break;
                case BuyPriceCeiling:
                    c.BuyPriceCeilingMilli = v;
                    break;
                case SellPriceFloor:
                    c.SellPriceFloorMilli = v;
                    break;
                default:
                    c.SocResolutionPermille = v;
                    break;
            }

            return true;
        }

        /// <summary>Copies every registered setting from <paramref name="from"/> into <paramref name="to"/>.</summary>
        public static void CopyAll(ChargerConfig from, ChargerConfig to)
        {
            for (int i = 0; i < Count; i++)
            {
                Apply(to, i, GetNumber(from, i), GetText(from, i));
            }
        }

        /// <summary>True when setting <paramref name="index"/> holds the same value in <paramref name="a"/> and <paramref name="b"/>.</summary>
        public static bool SameValue(ChargerConfig a, ChargerConfig b, int index)
        {
            return GetNumber(a, index) == GetNumber(b, index) && GetText(a, index) == GetText(b, index);
        }

        // Charger ids go into MQTT topics: no wildcards, separators or spaces; a topic prefix has
        // separators but no wildcards; currencies are ISO 4217; hosts are names or addresses.
        private static bool IsValidText(int index, string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                if (!IsValidChar(index, text[i]))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsValidChar(int index, char ch)
        {
            bool upper = ch >= 'A' && ch <= 'Z';
            bool word = upper || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
            switch (index)
            {
                case Currency:
                    return upper;
                case ChargerId:
                    return word;
                case BrokerHost:
                    return word || ch == '.' || ch == ':';
                case TopicPrefix:
                    return ch > ' ' && ch <= '~' && ch != '+' && ch != '#';
                default:
                    return ch > ' ' && ch <= '~';
            }
        }
    }

    /// <summary>The types of <see cref="ConfigRegistry"/> settings, with their console names.</summary>
    public static class ConfigTypes
    {
        /// <summary>A whole number in the setting's unit.</summary>
        public const int Integer = 0;

        /// <summary>on / off (stored as 1 / 0).</summary>
        public const int Boolean = 1;

        /// <summary>ASCII text.</summary>
        public const int Text = 2;

        /// <summary>The console name: integer, boolean, text.</summary>
        public static string Name(int type)
        {
            switch (type)
            {
                case Integer:
                    return "integer";
                case Boolean:
                    return "boolean";
                case Text:
                    return "text";
                default:
                    return "unknown";
            }
        }
    }
}
