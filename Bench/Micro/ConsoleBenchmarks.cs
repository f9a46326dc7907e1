using System.Text;
using BenchmarkDotNet.Attributes;
using ChargerFirmware.Bench.Rig;
using ChargerFirmware.Drivers.Serial;
using ChargerFirmware.TechConsole;
using ChargerFirmware.VirtualHardware;

namespace ChargerFirmware.Bench.Micro;

/// <summary>
/// One technician command line through the console's public entry (<see cref="TechnicianConsole.Poll"/>):
/// the line editor takes the bytes, the line is split into words, the command looked up and run.
/// The command is a short read (<c>config get tick-ms</c>: six lines about one setting): the figure
/// covers the parse and a small answer, written to a stream that drops it.
/// </summary>
[MemoryDiagnoser]
public class ConsoleBenchmarks
{
    public const string Line = "config get tick-ms\r\n";

    private TechnicianConsole _console = null!;
    private ReplayStream _stream = null!;

    [GlobalSetup]
    public void Setup() => (_console, _stream) = NewConsole();

    /// <summary>The console of a whole composed charger, reading <see cref="Line"/> at every poll.</summary>
    public static (TechnicianConsole Console, ReplayStream Stream) NewConsole()
    {
        var stream = new ReplayStream(Encoding.ASCII.GetBytes(Line));
        TechnicianConsole console = BenchCharger.Composed(new BenchParts(new ManualClock()) { ConsoleLine = stream }).App.Console;
        console.Poll(0);
        if (!stream.LastAnswer.Contains("20", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("the console did not answer the bench's command: " + stream.LastAnswer);
        }

        return (console, stream);
    }

    [Benchmark(Description = "console: one command line (config get tick-ms)")]
    public bool Command() => _console.Poll(0);

    /// <summary>A serial line that delivers the same command line at every read and drops what is written.</summary>
    public sealed class ReplayStream : IByteStream
    {
        private readonly byte[] _line;
        private readonly byte[] _answer = new byte[256];
        private int _answerLength;

        public ReplayStream(byte[] line)
        {
            _line = line;
        }

        /// <summary>The last thing the console wrote (for the set-up's check).</summary>
        public string LastAnswer => Encoding.ASCII.GetString(_answer, 0, _answerLength);

        public int Read(byte[] buffer, int offset, int count, int timeoutMs)
        {
            int n = Math.Min(count, _line.Length);
            Array.Copy(_line, 0, buffer, offset, n);
            return n;
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            _answerLength = Math.Min(count, _answer.Length);
            Array.Copy(buffer, offset, _answer, 0, _answerLength);
        }
    }
}
