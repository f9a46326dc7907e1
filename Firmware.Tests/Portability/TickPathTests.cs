using Xunit;

namespace ChargerFirmware.Tests.Portability;

/// <summary>
/// No string literal on the tick path: on nanoCLR every execution of a literal (ldstr) allocates a new
/// string (.NET interns them), so a literal in anything the control tick can run is garbage on the device.
/// The walk starts at the control loop's cycle and at the codec's encoder (the status and every outgoing
/// message), follows calls through interfaces into every portable implementation (drivers included), and
/// stops only at the panel's text rendering, which runs when what the driver sees changes (a redraw at
/// most once a second while the question is open), not every tick. A literal that only becomes an
/// exception's message is allowed. Event handling (a dispatch, a tap, a plug-in) is on the path too:
/// it allocates no reason or name strings either.
/// </summary>
public class TickPathTests
{
    public static readonly string[] Roots =
    [
        "ChargerFirmware.Control.ControlLoop.RunOnce()",
        "ChargerFirmware.Protocol.Messages.MessageCodec.Encode(ChargerFirmware.Protocol.Messages.Message, byte[])",
    ];

    public static readonly string[] Boundaries =
    [
        "ChargerFirmware.Ledger.SessionSummary.RenderLines()",
    ];

    private static TickPath Portable() =>
        TickPath.Load(PortabilityChecker.PortableAssemblies.Select(a => Path.Combine(AppContext.BaseDirectory, a + ".dll")));

    private static IReadOnlyList<Literal> Check(string members, string[] roots, params string[] boundaries) =>
        TickPath.Load(NanoSnippet.Emit(NanoSnippet.Compile($"namespace S {{ {members} }}"))).LiteralsReachableFrom(roots, boundaries.ToHashSet());

    [Fact]
    public void No_string_literal_on_the_tick_path()
    {
        TickPath graph = Portable();
        Assert.All(Boundaries, b => Assert.True(graph.Defines(b), "boundary no longer exists (renamed?): " + b));

        IReadOnlyList<Literal> literals = graph.LiteralsReachableFrom(Roots, Boundaries.ToHashSet());

        Assert.True(literals.Count == 0, $"{literals.Count} string literal(s) on the tick path (each allocates on nanoCLR; use a static readonly field):\n"
            + string.Join("\n", literals));
    }

    [Fact]
    public void A_literal_reached_through_an_interface_is_reported_with_its_method_and_path()
    {
        var literals = Check(
            """
            public interface ISensor { int Read(); }
            public sealed class Noisy : ISensor { public string Last = ""; public int Read() { Last = "read"; return 1; } }
            public sealed class Loop { private readonly ISensor _s; public Loop(ISensor s) { _s = s; } public int Tick() => _s.Read(); }
            """,
            ["S.Loop.Tick()"]);

        Literal literal = Assert.Single(literals);
        Assert.Equal("read", literal.Text);
        Assert.Equal("S.Noisy.Read()", literal.Method);
        Assert.Equal(["S.Loop.Tick()", "S.Noisy.Read()"], literal.Path);
        Assert.Equal("\"read\" in S.Noisy.Read(), reached by S.Loop.Tick() -> S.Noisy.Read()", literal.ToString());
    }

    [Fact]
    public void Literals_in_overrides_and_called_methods_are_found_and_unreached_ones_are_not()
    {
        var literals = Check(
            """
            public abstract class Part { public abstract string Name(); }
            public sealed class Pump : Part { public override string Name() => "pump"; }
            public sealed class Loop
            {
                private readonly Part _p = new Pump();
                public int Tick() => Describe().Length;
                private string Describe() => _p.Name() + Suffix;
                private static readonly string Suffix = "!";
                public string Unused() => "never ticked";
            }
            """,
            ["S.Loop.Tick()"]);

        Assert.Equal(["pump"], literals.Select(l => l.Text));
    }

    [Fact]
    public void The_walk_stops_at_a_boundary_and_ignores_exception_messages()
    {
        var literals = Check(
            """
            public sealed class Loop
            {
                public int Tick(int x)
                {
                    if (x < 0) throw new System.ArgumentOutOfRangeException(nameof(x), "negative");
                    return Redraw().Length;
                }

                public string Redraw() => "screen";
            }
            """,
            ["S.Loop.Tick(int)"],
            "S.Loop.Redraw()");

        Assert.Empty(literals);
    }

    [Fact]
    public void An_unknown_root_is_an_error_not_an_empty_walk()
    {
        Assert.Throws<ArgumentException>(() => Check("public sealed class Loop { }", ["S.Loop.Tick()"]));
    }
}
