namespace ChargerFirmware.TechConsole
{
    /// <summary>The console's commands: names, usage lines and help paragraphs (what <c>help</c> prints).</summary>
    public static class ConsoleCommands
    {
        /// <summary>help</summary>
        public const int Help = 0;

        /// <summary>status</summary>
        public const int Status = 1;

        /// <summary>pilot</summary>
        public const int Pilot = 2;

        /// <summary>session</summary>
        public const int Session = 3;

        /// <summary>consent</summary>
        public const int Consent = 4;

        /// <summary>conditions</summary>
        public const int Conditions = 5;

        /// <summary>prices</summary>
        public const int Prices = 6;

        /// <summary>dispatch</summary>
        public const int Dispatch = 7;

        /// <summary>faults</summary>
        public const int Faults = 8;

        /// <summary>config</summary>
        public const int Config = 9;

        /// <summary>ledger</summary>
        public const int Ledger = 10;

        /// <summary>net</summary>
        public const int Net = 11;

        /// <summary>selftest</summary>
        public const int SelfTest = 12;

        /// <summary>log</summary>
        public const int Log = 13;

        /// <summary>login</summary>
        public const int Login = 14;

        /// <summary>logout</summary>
        public const int Logout = 15;

        /// <summary>pin</summary>
        public const int Pin = 16;

        /// <summary>enable</summary>
        public const int Enable = 17;

        /// <summary>disable</summary>
        public const int Disable = 18;

        /// <summary>reboot</summary>
        public const int Reboot = 19;

        /// <summary>vehicles</summary>
        public const int Vehicles = 20;

        /// <summary>Number of commands.</summary>
        public const int Count = 21;

        private static readonly string[] _names =
        {
            "help", "status", "pilot", "session", "consent", "conditions", "prices", "dispatch", "faults", "config",
            "ledger", "net", "selftest", "log", "login", "logout", "pin", "enable", "disable", "reboot", "vehicles",
        };

        private static readonly string[] _usages =
        {
            "help [COMMAND]",
            "status [--json]",
            "pilot [--json]",
            "session [--json]",
            "consent [--json] | consent stop",
            "conditions [--json] | conditions list [--json] | conditions choose NAME | conditions set NAME KEY VALUE | conditions delete NAME | conditions default NAME",
            "prices [--json]",
            "dispatch [--json] | dispatch reset-seq",
            "faults [--json] | faults clear",
            "config list [--json] | config get KEY [--json] | config set KEY VALUE",
            "ledger [COUNT] [--json] | ledger balance FROM TO [--json]",
            "net [--json]",
            "selftest [--json] | selftest rcd | selftest contactor",
            "log [COUNT] [--json]",
            "login [PIN]",
            "logout",
            "pin set [NEWPIN]",
            "enable",
            "disable",
            "reboot [force]",
            "vehicles [--json] | vehicles forget ID | vehicles forget all",
        };

        private static readonly string[] _descriptions =
        {
            "Lists the commands, or explains one. Anyone may read; every command that changes something needs the technician's login. Every read command takes --json for scripts: one JSON object on one line.",
            "The charger at a glance: state, pilot, contactor, power and setpoint with the arbiter's reason, active faults (and why the converter or the ISO 15118 module cannot be used, when so), consent and session, temperature, clock, aggregator link, unsent ledger records, the settings as stored now and the console's role.",
            "The control pilot: accepted state, last high and low plateau in mV, PWM duty (100 % is steady, no PWM; 5 % asks for digital communication; 0 % is state F), the current offered to the vehicle and the cable rating.",
            "The plug-in session: state, session id, vehicle id, consent, conditions in force, state of charge and its age, energy into and out of the car, power, setpoint and target with their reasons, and whether the aggregator is in control.",
            "The driver's consent: state, time left to answer, who decided (panel, remote, timeout) and when. 'consent stop' (technician) stops sharing on the driver's behalf, only while consent is granted: the aggregator loses control and the car charges plainly (the driver may share again at the panel). Consent can only be withdrawn here, never granted: granting is the driver's alone, on the panel or the phone.",
            "The conditions on offer (consent pending) or in force: kept state of charge, price limits, delegation, settlement and weekly windows. 'list' shows the presets ('*' offered first). Technician: 'choose NAME' offers a preset to the driver being asked (the driver still decides); 'set NAME KEY VALUE' edits a custom preset, creating it from 'balanced', with KEY one of: min-sell PRICE, max-buy PRICE (currency per kWh, up to 3 decimals), keep-soc PERCENT (0-100, one decimal), delegated on|off, settlement offset|points|payout, window add DAYS HH:MM-HH:MM (DAYS: mon-fri, sat,sun, daily, weekdays, weekend), window clear; 'delete NAME' removes a custom preset; 'default NAME' makes a preset the one offered first. Built-in presets cannot be changed.",
            "The aggregator's prices in force: buying and selling price per kWh, whether they are valid now, and the currency.",
            "The aggregator's dispatch: the order held (running or scheduled), its setpoint, ramp, start and end, its own prices, the highest sequence number judged, and the most recent acknowledgements sent (newest first). 'dispatch reset-seq' (technician, logged) sets the sequence mark back to 0: the way out when an order with a wrong, too high seq made the charger refuse every later one as replayed.",
            "Active faults with their names, whether each clears by itself, is latched (needs a technician) or is only a warning, and for the converter and the ISO 15118 module the cause the driver found (exception code, raw value read). 'faults clear' (technician) clears latched faults; a fault whose cause persists comes back at once.",
            "Every setting with its value. 'get KEY' adds the type, unit, range, the stored value when a restart is pending, whether a change needs a restart, and what it does. 'set KEY VALUE' (technician) validates, stores the setting and applies it to the running charger, or only stores it when it takes effect after a restart. Booleans take on or off; an empty text is \"\". A secret (broker-password, wifi-password) is never shown or echoed: only whether it is set. The RS-485 timing (modbus-timeout-ms, modbus-gap-ms, modbus-retries, modbus-backoff-max-ms) and the poll periods (converter-poll-ms, modem-poll-ms) apply from the next request.",
            "Recent ledger records (default 5, at most 20), newest last, and how many are not sent to the aggregator yet. 'balance FROM TO' totals the records that start in [FROM, TO): energy bought and sold, purchases, earnings and the net; FROM and TO are RFC 3339 times or local dates YYYY-MM-DD (a TO date includes its day).",
            "The aggregator link: broker, whether connected and since when, reconnect attempts, current backoff, last error, messages in and out. No secret is ever shown.",
            "Self-test results. Technician: 'selftest rcd' trips the residual current monitor on its test winding and checks it clears; 'selftest contactor' checks the contactor's feedback reads open for a second while commanded open (no weld) and never closes it. Both are refused while a vehicle is on power; read the result with 'selftest'.",
            "Recent events (default 20), newest last: faults, plug-ins, consent, dispatch acknowledgements, setting changes, self-tests, logins.",
            "Logs in as technician. Without PIN the console asks for it and does not echo it. Five wrong PINs in a row lock the login for 5 minutes. The session logs out after console-idle-ms without a command.",
            "Ends the technician's session.",
            "Sets the technician's PIN (6 to 16 characters, no spaces), stored salted and hashed. Needs the login, except in commissioning (no PIN set yet), where it is the only change allowed and logs in. Without NEWPIN the console asks twice and does not echo it. Damaged PIN state locks every change until the service procedure: open the enclosure, switch the charger on and within 5 s press and hold the service button (BOOT) until the status LED stays lit; then 'pin set' stores a new PIN.",
            "Technician: puts the charger back in service.",
            "Technician: takes the charger out of service: power ramps down, the contactor opens and the pilot shows state F until 'enable'.",
            "Technician: restarts the firmware once the contactor reads open. Refused while a vehicle is on power unless 'force': then the power ramps down and the contactor opens first.",
            "The cars whose conditions drivers asked this charger to remember (by vehicle id, newest first, at most the memory's capacity; saving one more forgets the oldest). Anyone sees how many; the ids and conditions only after login, since they identify drivers' cars. Technician: 'forget ID' forgets one car, 'forget all' every car (logged).",
        };

        /// <summary>The command called <paramref name="name"/>, or -1.</summary>
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

        /// <summary>The command's name.</summary>
        public static string Name(int command)
        {
            return _names[command];
        }

        /// <summary>The command's usage line.</summary>
        public static string Usage(int command)
        {
            return _usages[command];
        }

        /// <summary>The command's help paragraph.</summary>
        public static string Description(int command)
        {
            return _descriptions[command];
        }
    }
}
