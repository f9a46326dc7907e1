using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace ChargerFirmware.Tests.Interop;

/// <summary>
/// One libmodbus slave process (<c>rtu_slave.c</c>) serving a register image at a unit address on
/// its own pseudo-terminal, with the misbehaviours of <see cref="SlaveOptions"/>. Every write it
/// took is in <see cref="Writes"/> (address, values), as it printed them.
/// </summary>
internal sealed class RtuSlave : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _errors = new();
    private readonly ManualResetEventSlim _ready = new();

    public RtuSlave(string folder, int unit, RegisterImage image, SlaveOptions options)
    {
        Unit = unit;
        Pty = new PtyPair(folder, "unit" + unit);
        string mapFile = Path.Combine(folder, $"unit{unit}.map");
        File.WriteAllText(mapFile, image.ToMapFile());
        var start = new ProcessStartInfo(InteropTools.SlaveProgram)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Pty.DeviceEnd);
        start.ArgumentList.Add(unit.ToString());
        start.ArgumentList.Add(mapFile);
        foreach (string argument in options.Arguments())
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => TakeLine(e.Data);
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_errors)
            {
                _errors.AppendLine(e.Data);
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (!_ready.Wait(10_000))
        {
            throw new InvalidOperationException($"rtu_slave unit {unit} did not start: {Errors}");
        }
    }

    public int Unit { get; }

    public PtyPair Pty { get; }

    /// <summary>The writes the slave took, in order: first register address and the values written.</summary>
    public ConcurrentQueue<(int Address, int[] Values)> Writes { get; } = new();

    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    /// <summary>The values of the last write that started at <paramref name="address"/>, or null.</summary>
    public int[]? LastWriteAt(int address) => Writes.LastOrDefault(w => w.Address == address).Values;

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5_000);
        }

        _process.Dispose();
        Pty.Dispose();
        _ready.Dispose();
    }

    private void TakeLine(string? line)
    {
        if (line == "ready")
        {
            _ready.Set();
        }
        else if (line != null && line.StartsWith("write ", StringComparison.Ordinal))
        {
            int[] numbers = line[6..].Split(' ').Select(int.Parse).ToArray();
            Writes.Enqueue((numbers[0], numbers[1..]));
        }
    }
}

/// <summary>How a libmodbus slave misbehaves (the options of <c>rtu_slave.c</c>).</summary>
internal sealed record SlaveOptions
{
    /// <summary>Every answer this many ms late: a slow device.</summary>
    public int DelayMs { get; init; }

    /// <summary>Function 6 answers exception 1: the device takes single writes only with function 16.</summary>
    public bool RefuseFunction6 { get; init; }

    /// <summary>Reads touching [address, address + count) answer exception 2.</summary>
    public (int Address, int Count)? RefuseRead { get; init; }

    /// <summary>Every write answers this exception code (0: writes are taken).</summary>
    public int RejectWrites { get; init; }

    public IEnumerable<string> Arguments()
    {
        if (DelayMs > 0)
        {
            yield return "--delay";
            yield return DelayMs.ToString();
        }

        if (RefuseFunction6)
        {
            yield return "--refuse-fc6";
        }

        if (RefuseRead is { } refuse)
        {
            yield return "--refuse-read";
            yield return refuse.Address.ToString();
            yield return refuse.Count.ToString();
        }

        if (RejectWrites != 0)
        {
            yield return "--reject-writes";
            yield return RejectWrites.ToString();
        }
    }
}
