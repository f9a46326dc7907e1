using Microsoft.CodeAnalysis;
using Xunit;

namespace ChargerFirmware.Tests.Portability;

/// <summary>
/// Proves the nano gate bites on a missing API. The gate (`dotnet build -c Nano`) compiles Firmware/
/// with this same compiler, C# 12 and NoStdLib against nanoFramework's mscorlib as the only reference
/// (Portable.props), treating warnings as errors. Compiling a snippet here with the same compiler
/// against the same mscorlib and nothing else yields the same missing-symbol error, so a file in
/// Firmware/ calling System.Math.Abs or using List&lt;int&gt; fails the gate with this message,
/// without this test having to rebuild the solution.
/// </summary>
public class NanoGateTests
{
    [Theory]
    [InlineData("public static class C { public static int M(int x) => System.Math.Abs(x); }", "Math")]
    [InlineData("public static class C { public static int M() => new System.Collections.Generic.List<int>().Count; }", "Generic")]
    [InlineData("using System.Collections.Generic; public static class C { public static int M() => new List<int>().Count; }", "List")]
    [InlineData("using System.Text; public static class C { public static string M() => new StringBuilder().ToString(); }", "StringBuilder")]
    public void Missing_nano_api_fails_to_compile_naming_it(string source, string missing)
    {
        var errors = NanoSnippet.Compile(source).GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => d.ToString())
            .ToList();

        Assert.True(
            errors.Exists(error => error.Contains($"'{missing}", StringComparison.Ordinal)),
            $"no error names '{missing}':\n" + string.Join("\n", errors));
    }

    [Fact]
    public void Same_code_without_the_missing_api_compiles()
    {
        var errors = NanoSnippet.Compile("public static class C { public static int M(int x) => x < 0 ? -x : x; }").GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error);

        Assert.Empty(errors);
    }
}
