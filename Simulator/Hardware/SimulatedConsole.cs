using System.IO.Pipes;
using System.Text;
using ChargerFirmware.TechConsole;
using ChargerFirmware.VirtualHardware;

namespace ChargerFirmware.Simulator.Hardware;

/// <summary>
/// A terminal on one simulated charger's console port: the firmware's own technician console
/// (the one <see cref="ChargerFirmware.App.ChargerApp"/> composed, with its PIN and event log), on
/// its own thread as on the device, behind a pair of pipes: <see cref="Send"/> types a line, every
/// line it writes back goes to the output callback.
/// </summary>
public sealed class SimulatedConsole : IDisposable
{
    private readonly AnonymousPipeServerStream _toConsole = new(PipeDirection.Out);
    private readonly AnonymousPipeClientStream _consoleIn;
    private readonly AnonymousPipeServerStream _fromConsole = new(PipeDirection.In);
    private readonly AnonymousPipeClientStream _consoleOut;
    private readonly StreamConsole _stream;
    private readonly SimulatedCharger _charger;
    private readonly TechnicianConsole _console;
    private readonly Thread _reader;

    /// <summary>A terminal on <paramref name="charger"/>'s console whose output lines go to <paramref name="output"/>.</summary>
    public SimulatedConsole(SimulatedCharger charger, Action<string> output)
    {
        // Commands arrive as whole lines from the simulator's own prompt: no echo, no console prompt.
        charger.Config.ConsoleEcho = false;
        _charger = charger;
        _console = charger.App.Console;
        _consoleIn = new AnonymousPipeClientStream(PipeDirection.In, _toConsole.ClientSafePipeHandle);
        _consoleOut = new AnonymousPipeClientStream(PipeDirection.Out, _fromConsole.ClientSafePipeHandle);
        _stream = new StreamConsole(_consoleIn, _consoleOut);
        charger.ConsoleLine.Attach(_stream);
        _reader = new Thread(() => Drain(output)) { IsBackground = true, Name = "sim-console-" + charger.Id };
        _reader.Start();
        _console.Start();
    }

    /// <summary>Types <paramref name="line"/> and Enter.</summary>
    public void Send(string line)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(line + "\r\n");
        _toConsole.Write(bytes);
        _toConsole.Flush();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _toConsole.Dispose();
        _console.Stop();
        _charger.ConsoleLine.Detach();
        _stream.Dispose();
        _consoleOut.Dispose();
        _reader.Join(TimeSpan.FromSeconds(2));
        _fromConsole.Dispose();
        _consoleIn.Dispose();
    }

    private void Drain(Action<string> output)
    {
        using var reader = new StreamReader(_fromConsole, Encoding.Latin1);
        try
        {
            while (reader.ReadLine() is { } line)
            {
                string text = line.TrimEnd('\r', ' ');
                if (text.Length > 0)
                {
                    output(text);
                }
            }
        }
        catch (IOException)
        {
            // The console went away.
        }
    }
}
