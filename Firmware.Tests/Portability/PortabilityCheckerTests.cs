using Microsoft.CodeAnalysis;
using Xunit;

namespace ChargerFirmware.Tests.Portability;

/// <summary>
/// Proves the portability check bites: each snippet compiles against nanoFramework's mscorlib (so it
/// would pass the nano gate) yet breaks one rule of the 1.x runtime, and the check must name it.
/// </summary>
public class PortabilityCheckerTests
{
    private const string GenericBox = "public class Box<T> { public T Value = default!; public T Get() => Value; }";

    private static IReadOnlyList<Violation> CheckMembers(string members) => NanoSnippet.Check($"namespace S {{ {members} }}");

    private static void AssertReported(IReadOnlyList<Violation> violations, ViolationKind kind, string subject, string location)
    {
        var expected = new Violation("Snippet", kind, subject, location);
        Assert.True(violations.Contains(expected), $"expected: {expected}\nreported:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void Clean_portable_code_gives_no_violation()
    {
        const string source = """
            namespace S
            {
                public enum State { Idle, Charging }

                public delegate void Changed(State state);

                public interface ISensor { int Read(); }

                public sealed class Meter : ISensor
                {
                    private readonly int[][] _rows = new int[2][];
                    private readonly object _lock = new object();
                    private string? _label;

                    public event Changed? StateChanged;

                    public int Read()
                    {
                        lock (_lock)
                        {
                            return _rows.Length;
                        }
                    }

                    public static string NameOf(State state)
                    {
                        switch (state)
                        {
                            case State.Idle: return "idle";
                            default: return "charging";
                        }
                    }

                    public string Describe(State state, int watts) => string.Format("{0} {1} W {2}", NameOf(state), watts, _label ?? "");

                    public string Count() => Read().ToString() + (State.Idle == State.Charging).ToString();

                    public void Raise()
                    {
                        Changed remember = s => _label = NameOf(s);
                        remember(State.Idle);
                        StateChanged?.Invoke(State.Charging);
                    }

                    public override string ToString() => "meter";
                }
            }
            """;

        var violations = NanoSnippet.Check(source);

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public void Generic_class_definition_is_reported()
    {
        AssertReported(CheckMembers(GenericBox), ViolationKind.GenericTypeDefinition, "S.Box`1<T>", "");
    }

    [Fact]
    public void Generic_method_definition_is_reported()
    {
        var violations = CheckMembers("public static class U { public static T Id<T>(T value) => value; }");

        AssertReported(violations, ViolationKind.GenericMethodDefinition, "S.U.Id<T>(T)", "");
    }

    [Fact]
    public void Own_generic_delegate_is_reported_where_defined_and_where_used()
    {
        var violations = CheckMembers("""
            public delegate void Handler<T>(T value);
            public class Hub { private Handler<int>? _handler; public void Fire() => _handler?.Invoke(1); }
            """);

        AssertReported(violations, ViolationKind.GenericTypeDefinition, "S.Handler`1<T>", "");
        AssertReported(violations, ViolationKind.GenericInstantiation, "S.Handler`1<int>", "field S.Hub._handler");
        AssertReported(violations, ViolationKind.GenericInstantiation, "S.Handler`1<int>", "method S.Hub.Fire()");
    }

    [Theory]
    [InlineData("public class C { public Box<int>? F; }", "S.Box`1<int>", "field S.C.F")]
    [InlineData("public class C { public void M(Box<int> box) { } }", "S.Box`1<int>", "method S.C.M(S.Box`1<int>)")]
    [InlineData("public class C { public Box<int>? M() => null; }", "S.Box`1<int>", "method S.C.M()")]
    [InlineData("public class C { public int M() { var box = new Box<int>(); return box.Value; } }", "S.Box`1<int>", "method S.C.M()")]
    [InlineData("public class C { public int M(object o) => ((Box<int>)o).Get(); }", "S.Box`1<int>", "method S.C.M(object)")]
    [InlineData("public class C { public System.Type M() => typeof(Box<int>); }", "S.Box`1<int>", "method S.C.M()")]
    [InlineData("public class C { public Box<Box<int>>? F; }", "S.Box`1<S.Box`1<int>>", "field S.C.F")]
    [InlineData("public class C : Box<int> { }", "S.Box`1<int>", "type S.C")]
    [InlineData("public interface IHolder<T> { } public class C : IHolder<int> { }", "S.IHolder`1<int>", "type S.C")]
    [InlineData("public class C { public int P => 0; public Box<int>? Q { get; set; } }", "S.Box`1<int>", "property S.C.Q")]
    [InlineData("public interface IGet<T> { T Get(); } public class C : IGet<int> { int IGet<int>.Get() => 1; }", "S.IGet`1<int>", "type S.C")]
    [InlineData("public interface IHolder<T> { } public class C<T> where T : IHolder<int> { }", "S.IHolder`1<int>", "metadata")]
    [InlineData("public class Counter<T> { public static int Count; } public class C { public int M() => Counter<int>.Count; }", "S.Counter`1<int>", "method S.C.M()")]
    [InlineData("public class MarkAttribute<T> : System.Attribute { } [Mark<int>] public class C { }", "S.MarkAttribute`1<int>", "attribute on type S.C")]
    [InlineData("public static class U { public static T Id<T>(T v) => v; } public class C { public int M() => U.Id(3); }", "S.U.Id<int>", "method S.C.M()")]
    [InlineData("public class C { private System.Action<int>? _act; public void M() => _act?.Invoke(1); }", "System.Action`1<int>", "field S.C._act")]
    [InlineData("public class C { public object M() => new System.Func<int>(() => 1); }", "System.Func`1<int>", "method S.C.M()")]
    public void Generic_instantiation_is_reported_where_it_is_used(string members, string subject, string location)
    {
        var violations = CheckMembers(GenericBox + members);

        AssertReported(violations, ViolationKind.GenericInstantiation, subject, location);
        if (location != "metadata")
        {
            // Only entries no definition reaches (here: generic constraints) fall back to "metadata".
            Assert.DoesNotContain(violations, v => v.Location == "metadata");
        }
    }

    [Theory]
    [InlineData("public class G { private int[,] _cells = new int[2, 3]; public int Count => _cells.Length; }", "int[,]", "field S.G._cells")]
    [InlineData("public class G { private int[,] _cells = new int[2, 3]; public int Count => _cells.Length; }", "int[,]", "method S.G..ctor()")]
    [InlineData("public class G { public int M() { var a = new int[2, 2]; a[1, 1] = 3; return a[0, 0]; } }", "int[,]", "method S.G.M()")]
    [InlineData("public class G { public int M(byte[,,] cube) => cube.Length; }", "byte[,,]", "method S.G.M(byte[,,])")]
    [InlineData("public class G { public string[][,]? Nested; }", "string[,]", "field S.G.Nested")]
    [InlineData("public class G { public object M() => new long[1, 1]; }", "long[,]", "method S.G.M()")]
    public void Multidimensional_array_is_reported_where_it_is_used(string members, string subject, string location)
    {
        AssertReported(CheckMembers(members), ViolationKind.MultidimensionalArray, subject, location);
    }

    [Fact]
    public void Reference_to_another_assembly_is_reported()
    {
        var extra = NanoSnippet.Compile("namespace X { public class Thing { public int Value; } }", "Extra");
        var extraReference = MetadataReference.CreateFromImage(NanoSnippet.Emit(extra));
        var user = NanoSnippet.Compile("namespace S { public class C { public int M(X.Thing t) => t.Value; } }", "Snippet", [NanoSnippet.CoreLibrary, extraReference]);

        var violations = NanoSnippet.Check(NanoSnippet.Emit(user));

        var violation = Assert.Single(violations);
        Assert.Equal("Snippet: reference to an assembly other than mscorlib and the portable ones: Extra 0.0.0.0", violation.ToString());
    }

    [Fact]
    public void Mscorlib_other_than_1_17_is_reported()
    {
        // A stand-in mscorlib 4.0 with just what the compiler needs for a small class.
        var fakeCoreLibrary = NanoSnippet.Compile("""
            [assembly: System.Reflection.AssemblyVersion("4.0.0.0")]
            namespace System
            {
                public class Object { }
                public struct Void { }
                public abstract class ValueType { }
                public struct Int32 { }
                public struct Boolean { }
                public struct Byte { }
                public class String { }
                public abstract class Enum : ValueType { }
                public class Attribute { }
                public class Type { }
                public struct IntPtr { }
                public abstract class Delegate { }
                public abstract class MulticastDelegate : Delegate { }
                public enum AttributeTargets { All = 0x7FFF }
                public sealed class AttributeUsageAttribute : Attribute
                {
                    public AttributeUsageAttribute(AttributeTargets targets) { }
                    public bool AllowMultiple { get; set; }
                    public bool Inherited { get; set; }
                }
            }
            namespace System.Reflection
            {
                public sealed class AssemblyVersionAttribute : Attribute { public AssemblyVersionAttribute(string version) { } }
            }
            """, "mscorlib", []);
        var fakeReference = MetadataReference.CreateFromImage(NanoSnippet.Emit(fakeCoreLibrary));
        var user = NanoSnippet.Compile("namespace S { public class C { public int Value; } }", "Snippet", [fakeReference]);

        var violations = NanoSnippet.Check(NanoSnippet.Emit(user));

        var violation = Assert.Single(violations);
        Assert.Equal("Snippet: mscorlib version is not 1.17.x: mscorlib 4.0.0.0", violation.ToString());
    }

    [Theory]
    [InlineData("public string M(State s) => s.ToString();", "S.State reaches System.Object.ToString")]
    [InlineData("public string M(State s) => string.Format(\"{0}\", s);", "S.State reaches System.String.Format")]
    [InlineData("public string M(State s) => \"state \" + s;", "S.State reaches System.Object.ToString")]
    [InlineData("public string M(State s) => $\"state {s}\";", "S.State reaches System.String.Format")]
    public void Enum_reaching_ToString_is_reported(string method, string subject)
    {
        var violations = CheckMembers("public enum State { Idle, Charging } public class C { " + method + " }");

        AssertReported(violations, ViolationKind.EnumToString, subject, "method S.C.M(S.State)");
    }

    [Fact]
    public void Mscorlib_enum_reaching_ToString_is_reported()
    {
        var violations = CheckMembers("public class C { public string M() => System.DateTime.UtcNow.DayOfWeek.ToString(); }");

        AssertReported(violations, ViolationKind.EnumToString, "System.DayOfWeek reaches System.Object.ToString", "method S.C.M()");
    }

    [Fact]
    public void Violation_message_names_assembly_rule_subject_and_place()
    {
        var violations = CheckMembers(GenericBox + "public class C { public Box<int>? F; }");

        Assert.Equal(
            ["Snippet: generic instantiation S.Box`1<int> in field S.C.F", "Snippet: generic type definition S.Box`1<T>"],
            violations.Select(v => v.ToString()).Order());
    }
}
