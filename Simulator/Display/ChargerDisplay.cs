using ChargerFirmware.Panel;
using ChargerFirmware.Simulator.Hardware;
using ChargerFirmware.Status;

namespace ChargerFirmware.Simulator.Display;

/// <summary>
/// The charger's panel and a status line in the terminal. On a terminal it redraws in place: the
/// panel when its version changes, the status line on every refresh, with log lines scrolling
/// above. When the output is not a terminal it writes plain lines instead: the panel each time its
/// page or what decides it changes (not for every second of a countdown or live reading), the
/// status line when the state, consent, reason, dispatch or faults change (and every few simulated
/// minutes). Thread-safe: <see cref="Log"/> may be called from any thread.
/// </summary>
public sealed class ChargerDisplay
{
    private const int PlainStatusEveryMs = 5 * 60_000;

    private readonly TextWriter _out;
    private readonly bool _live;
    private readonly object _gate = new();
    private readonly string[] _panel = new string[DriverPanel.Rows];
    private readonly ChargerStatus _status = new();
    private SimulatedCharger? _charger;
    private int _panelVersion = -1;
    private int _drawnLines;
    private string _lastKey = string.Empty;
    private long _lastPlainStatusMs = long.MinValue;
    private string _statusLine = string.Empty;

    /// <summary>A display on <paramref name="output"/>; <paramref name="live"/> redraws in place (a terminal).</summary>
    public ChargerDisplay(TextWriter output, bool live)
    {
        _out = output;
        _live = live;
        for (int i = 0; i < _panel.Length; i++)
        {
            _panel[i] = string.Empty;
        }
    }

    /// <summary>The charger shown (null: log lines only).</summary>
    public SimulatedCharger? Charger
    {
        get => _charger;
        set
        {
            lock (_gate)
            {
                _charger = value;
                _panelVersion = -1;
            }
        }
    }

    /// <summary>Extra text after the status line (speed, broker, online count…).</summary>
    public Func<string>? Footer { get; set; }

    /// <summary>Writes a log line (above the live panel).</summary>
    public void Log(string line)
    {
        lock (_gate)
        {
            Erase();
            _out.WriteLine(line);
            Draw();
        }
    }

    /// <summary>Reads the charger and redraws what changed.</summary>
    public void Refresh()
    {
        lock (_gate)
        {
            SimulatedCharger? charger = _charger;
            if (charger is null)
            {
                return;
            }

            // The key comes with the frame it was drawn for, so the text copied after it is at least that new.
            int version = charger.ShownPanelKey;
            charger.CopyStatus(_status);
            charger.CopyPanel(_panel);
            bool panelChanged = version != _panelVersion && _panel.Any(l => l.Trim().Length > 0);
            if (panelChanged)
            {
                _panelVersion = version;
            }

            string clock = StatusText.Clock(charger.NowMs);
            string car = charger.Car is { } c ? $" | car {c.SocPermille / 10.0:0.0}%" : "";
            _statusLine = $"[{charger.Id} {clock}] {StatusText.Line(_status)}{car}";
            if (_live)
            {
                Erase();
                Draw();
                return;
            }

            if (panelChanged)
            {
                _out.WriteLine($"[{charger.Id} {clock}] panel:");
                foreach (string line in _panel)
                {
                    _out.WriteLine("  | " + line + " |");
                }
            }

            string key = $"{_status.State}/{_status.Consent}/{_status.Reason}/{_status.DispatchId}/{_status.Faults}";
            if (key != _lastKey || charger.NowMs - _lastPlainStatusMs >= PlainStatusEveryMs)
            {
                _lastKey = key;
                _lastPlainStatusMs = charger.NowMs;
                _out.WriteLine(_statusLine);
            }
        }
    }

    /// <summary>Leaves the live area where it is and moves below it (before the program prints its report).</summary>
    public void Finish()
    {
        lock (_gate)
        {
            if (_live && _drawnLines > 0)
            {
                _drawnLines = 0;
                _out.WriteLine();
            }

            _out.Flush();
        }
    }

    private void Erase()
    {
        if (_live && _drawnLines > 0)
        {
            _out.Write($"\u001b[{_drawnLines}A\r\u001b[J");
            _drawnLines = 0;
        }
    }

    private void Draw()
    {
        if (!_live || _charger is null)
        {
            return;
        }

        string bar = new('─', DriverPanel.Columns);
        _out.WriteLine("┌" + bar + "┐");
        foreach (string line in _panel)
        {
            _out.WriteLine("│" + line.PadRight(DriverPanel.Columns) + "│");
        }

        _out.WriteLine("└" + bar + "┘");
        int width = Math.Max(40, SafeWidth() - 1);
        _out.WriteLine(_statusLine.Length > width ? _statusLine[..width] : _statusLine);
        string footer = Footer?.Invoke() ?? string.Empty;
        _out.WriteLine(footer.Length > width ? footer[..width] : footer);
        _drawnLines = DriverPanel.Rows + 4;
        _out.Flush();
    }

    private static int SafeWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 160;
        }
        catch (IOException)
        {
            return 160;
        }
    }
}
