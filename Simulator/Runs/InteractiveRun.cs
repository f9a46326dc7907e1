using System.Globalization;
using ChargerFirmware.Events;
using ChargerFirmware.Link;
using ChargerFirmware.Panel;
using ChargerFirmware.Simulator.Aggregator;
using ChargerFirmware.Simulator.Display;
using ChargerFirmware.Simulator.Hardware;
using ChargerFirmware.Simulator.Mqtt;
using ChargerFirmware.Status;

namespace ChargerFirmware.Simulator.Runs;

/// <summary>
/// The simulator driven by commands on stdin: plug a car in, touch the panel (at pixel coordinates
/// or by button name), answer from the driver's phone, inject faults, send dispatches and prices
/// through the in-process aggregator, and watch the panel and status. Ends on <c>quit</c>, at the
/// end of the input (unless --duration keeps it running) or after --duration. At a speed other
/// than 1 the driver's timeouts (consent deadline, receipt, idle editor) are stretched by the speed
/// so they last their nominal time on the wall clock; at speed 1 simulated time is wall time.
/// </summary>
public static class InteractiveRun
{
    /// <summary>The car <c>plug</c> uses unless told otherwise: car 1, the same car each time (<c>car=N</c> plugs another).</summary>
    public static readonly CarSpec DefaultCar = new(Car: 1);

    /// <summary>Runs until quit; returns the exit code.</summary>
    public static async Task<int> RunAsync(SimOptions options, TextReader input, TextWriter output, bool live, CancellationToken cancel)
    {
        var display = new ChargerDisplay(output, live);
        await using SimulationHost host = await SimulationHost.CreateAsync(options, display.Log, withAggregator: !options.NoAggregator, cancel: cancel).ConfigureAwait(false);
        ReferenceAggregator? aggregator = host.Aggregator;
        if (aggregator is not null)
        {
            await new DemoScenario().PublishStandingPricesAsync(aggregator, host.Chargers.Select(c => c.Id)).ConfigureAwait(false);
        }

        await using var phone = new DriverPhone(host.Broker);
        await phone.StartAsync(cancel).ConfigureAwait(false);
        if (options.Speed != 1)
        {
            foreach (SimulatedCharger charger in host.Chargers)
            {
                StretchDriverTimeouts(charger, options.Speed);
            }
        }

        using var session = new Session(host, display, phone);
        display.Charger = host.Chargers[0];
        display.Footer = () => $"speed x{options.Speed:0.##} | {host.Broker} | online {host.Chargers.Count(c => c.Link?.Online == true)}/{host.Chargers.Count} | type help";
        host.Start();
        display.Log($"interactive | {host.Chargers.Count} charger(s), speed x{options.Speed:0.##}, broker {host.Broker}; type help");

        DateTime? until = options.Duration is { } d ? DateTime.UtcNow + d : null;
        // Console.In's ReadLineAsync blocks the caller until a line comes: read on a pool thread, so
        // the panel and the status keep updating while the driver thinks.
        Task<string?> pending = Task.Run(input.ReadLine, CancellationToken.None);
        bool inputOpen = true;
        while (!cancel.IsCancellationRequested && (until is null || DateTime.UtcNow < until))
        {
            if (host.Scheduler.Failure is { } crash)
            {
                display.Log("error: the simulation stopped: " + crash);
                return SimulatorProgram.Failed;
            }

            if (inputOpen && pending.IsCompleted)
            {
                string? line = await pending.ConfigureAwait(false);
                if (line is null)
                {
                    inputOpen = false;
                    if (until is null)
                    {
                        break;
                    }
                }
                else
                {
                    if (!await session.HandleAsync(line.Trim()).ConfigureAwait(false))
                    {
                        break;
                    }

                    pending = Task.Run(input.ReadLine, CancellationToken.None);
                }
            }

            display.Refresh();
            await Task.WhenAny(pending, Task.Delay(100, cancel)).ConfigureAwait(false);
        }

        display.Refresh();
        display.Finish();
        output.WriteLine("bye");
        return SimulatorProgram.Ok;
    }

    /// <summary>Stretches the driver's timeouts by <paramref name="speed"/>, so they last their nominal wall time.</summary>
    public static void StretchDriverTimeouts(SimulatedCharger charger, double speed)
    {
        charger.Post(c =>
        {
            c.Config.ConsentTimeoutMs = (int)Math.Min(int.MaxValue, c.Config.ConsentTimeoutMs * speed);
            c.Policy.ApplyConfig();
            c.PanelOptions.ReceiptMs = (long)(c.PanelOptions.ReceiptMs * speed);
            c.PanelOptions.IdleBackMs = (long)(c.PanelOptions.IdleBackMs * speed);
            c.PanelOptions.NoteMs = (long)(c.PanelOptions.NoteMs * speed);
        });
    }

    /// <summary>The button names <c>tap</c> takes: each <see cref="PanelKeys"/> constant in kebab case, plus a few short ones.</summary>
    public static IReadOnlyDictionary<string, int> ButtonNames { get; } = BuildButtonNames();

    private static Dictionary<string, int> BuildButtonNames()
    {
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (System.Reflection.FieldInfo field in typeof(PanelKeys).GetFields())
        {
            string kebab = string.Concat(field.Name.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
            names[kebab] = (int)field.GetValue(null)!;
        }

        string[] days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        for (int i = 0; i < days.Length; i++)
        {
            names[days[i]] = PanelKeys.Monday + i;
        }

        names["stop"] = PanelKeys.StopSharing;
        names["share"] = PanelKeys.ShareAfterAll;
        names["conditions"] = PanelKeys.Change;
        names["apply"] = PanelKeys.Allow;
        names["cancel"] = PanelKeys.Deny;
        names["forget-car"] = PanelKeys.Forget;
        names["save"] = PanelKeys.SaveMine;
        return names;
    }

    private sealed class Session(SimulationHost host, ChargerDisplay display, DriverPhone phone) : IDisposable
    {
        private readonly Dictionary<string, SimulatedConsole> _consoles = [];
        private SimulatedCharger _charger = host.Chargers[0];

        // Returns false on quit.
        public async Task<bool> HandleAsync(string line)
        {
            string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                return true;
            }

            try
            {
                switch (words[0])
                {
                    case "quit" or "exit":
                        return false;
                    case "help":
                        display.Log(SimOptions.Usage[SimOptions.Usage.IndexOf("Interactive commands:", StringComparison.Ordinal)..]);
                        break;
                    case "plug":
                        CarSpec spec = DefaultCar.With(words.Skip(1));
                        _charger.Post(c => c.Plug(spec));
                        Ok($"plugged a {spec.CapacityWh} Wh car at {spec.SocPermille / 10} % ({(spec.PowerLineLink ? "with" : "without")} power-line link)");
                        break;
                    case "unplug":
                        _charger.Post(c => c.Unplug());
                        Ok("unplugged");
                        break;
                    case "touch":
                        Touch(words);
                        break;
                    case "tap":
                        TapButton(Argument(words, "BUTTON (allow, deny, change, stop, share, history, done, back, keep-plus, ...)"));
                        break;
                    case "phone":
                        await PhoneAsync(words).ConfigureAwait(false);
                        break;
                    case "fault" or "clear":
                        Fault(words);
                        break;
                    case "console":
                        Console(line.Length > "console".Length ? line["console".Length..].Trim() : string.Empty);
                        break;
                    case "dispatch":
                        await DispatchAsync(words).ConfigureAwait(false);
                        break;
                    case "prices":
                        Dictionary<string, string> p = Pairs(words.Skip(1));
                        await Aggregator().PublishPricesAsync(_charger.Id, Milli(p, "buy"), Milli(p, "sell")).ConfigureAwait(false);
                        break;
                    case "use":
                        string id = Argument(words, "ID");
                        _charger = host.Chargers.FirstOrDefault(c => c.Id == id) ?? throw new FormatException($"no charger '{id}'");
                        display.Charger = _charger;
                        Ok("using " + id);
                        break;
                    case "status":
                        Status();
                        break;
                    default:
                        throw new FormatException($"unknown command '{words[0]}' (type help)");
                }
            }
            catch (FormatException e)
            {
                display.Log("error: " + e.Message);
            }

            return true;
        }

        public void Dispose()
        {
            foreach (SimulatedConsole console in _consoles.Values)
            {
                console.Dispose();
            }
        }

        private void Ok(string what) => display.Log($"ok: {_charger.Id} {what}");

        // The charger's technician console, opened on first use; its answers are logged line by line.
        private void Console(string line)
        {
            if (!_consoles.TryGetValue(_charger.Id, out SimulatedConsole? console))
            {
                string id = _charger.Id;
                console = new SimulatedConsole(_charger, text => display.Log($"console   | {id}: {text}"));
                _consoles[id] = console;
            }

            console.Send(line);
        }

        private void Fault(string[] words)
        {
            string name = Argument(words, string.Join("|", FaultNames.All) + (words[0] == "clear" ? "|latched" : ""));
            if (words[0] == "clear" && name == "latched")
            {
                _charger.Inbox.Post(ControlEventKind.ClearFaults, 0, 0, null, null);
                Ok("cleared the latched faults (technician)");
                return;
            }

            if (!FaultNames.TryParse(name, out InjectedFault fault))
            {
                throw new FormatException($"unknown fault '{name}' ({string.Join(", ", FaultNames.All)})");
            }

            bool on = words[0] == "fault";
            _charger.Post(c => c.SetFault(fault, on));
            Ok((on ? "injected " : "cleared ") + name);
        }

        private async Task DispatchAsync(string[] words)
        {
            if (words.Length < 2 || !int.TryParse(words[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int watts))
            {
                throw new FormatException("dispatch W [minutes=M] [buy=P] [sell=P]: W is the setpoint in watts (negative discharges)");
            }

            Dictionary<string, string> p = Pairs(words.Skip(2));
            int minutes = p.TryGetValue("minutes", out string? m) && int.TryParse(m, out int n) && n is > 0 and <= 1440 ? n
                : p.ContainsKey("minutes") ? throw new FormatException("minutes must be 1..1440") : 15;
            long? buy = p.ContainsKey("buy") ? Milli(p, "buy") : null;
            long? sell = p.ContainsKey("sell") ? Milli(p, "sell") : null;
            await Aggregator().DispatchAsync(_charger.Id, watts, minutes * 60, buy, sell).ConfigureAwait(false);
        }

        private ReferenceAggregator Aggregator() =>
            host.Aggregator ?? throw new FormatException("no aggregator in this process (--no-aggregator): send it over MQTT");

        private void Status()
        {
            var status = new ChargerStatus();
            var panel = new string[DriverPanel.Rows];
            _charger.CopyStatus(status);
            _charger.CopyPanel(panel);
            display.Log(string.Join(Environment.NewLine, panel.Select(l => "  | " + l + " |")));
            display.Log($"[{_charger.Id} {StatusText.Clock(_charger.NowMs)}] {StatusText.Line(status)}");
        }

        private void Touch(string[] words)
        {
            if (words.Length != 3 || !int.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out int x)
                || !int.TryParse(words[2], NumberStyles.None, CultureInfo.InvariantCulture, out int y)
                || x >= VirtualHardware.Panel.VirtualTextPanel.WidthPx || y >= VirtualHardware.Panel.VirtualTextPanel.HeightPx)
            {
                throw new FormatException("touch X Y: X 0..479, Y 0..319 (pixels of the 480 x 320 panel, 0,0 top left)");
            }

            if (!_charger.Touch(x, y))
            {
                throw new FormatException($"{_charger.Id} has no panel");
            }

            Ok($"touched the panel at {x},{y}");
        }

        // A touch at the centre of the button, as shown when the scheduler gets to it.
        private void TapButton(string name)
        {
            if (!ButtonNames.TryGetValue(name, out int key))
            {
                throw new FormatException($"no button '{name}' ({string.Join(", ", ButtonNames.Keys.Order(StringComparer.Ordinal))})");
            }

            string id = _charger.Id;
            _charger.Post(c =>
            {
                string page = c.Panel is { } panel ? PanelPages.Name(panel.Page) : "none";
                display.Log(c.FindKey(key, out int x, out int y) && c.Touch(x, y)
                    ? $"ok: {id} tapped [{name}] at {x},{y}"
                    : $"error: no [{name}] on {id}'s screen now (page {page})");
            });
        }

        private async Task PhoneAsync(string[] words)
        {
            string verb = Argument(words, "allow|deny [conditions]");
            if (verb != "allow" && verb != "deny")
            {
                throw new FormatException(DriverPhone.ConditionsUsage);
            }

            string sent = await phone.AnswerAsync(_charger.Id, verb == "allow", words.Skip(2)).ConfigureAwait(false);
            Ok("phone answered " + sent);
        }

        private static string Argument(string[] words, string expected) =>
            words.Length >= 2 ? words[1] : throw new FormatException($"{words[0]} {expected}");

        private static Dictionary<string, string> Pairs(IEnumerable<string> words) =>
            words.Select(w => w.Split('=', 2)).ToDictionary(
                kv => kv[0],
                kv => kv.Length == 2 ? kv[1] : throw new FormatException($"'{kv[0]}' wants NAME=VALUE"));

        private static long Milli(Dictionary<string, string> pairs, string key) =>
            pairs.TryGetValue(key, out string? text) && decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal price)
                && price >= 0 && price <= 1000 && decimal.Round(price, 3) == price
                ? (long)(price * 1000)
                : throw new FormatException($"{key}=PRICE per kWh, 0..1000 with at most three decimals");
    }
}
