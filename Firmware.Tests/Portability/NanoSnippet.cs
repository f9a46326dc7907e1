using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ChargerFirmware.Tests.Portability;

/// <summary>
/// Compiles C# snippets the way Portable.props compiles the portable projects: C# 12, nullable
/// enabled, a library, against nanoFramework's mscorlib and nothing else unless asked.
/// </summary>
internal static class NanoSnippet
{
    public static readonly MetadataReference CoreLibrary = MetadataReference.CreateFromFile(NanoCoreLibrary.Path);

    private static readonly CSharpParseOptions _parseOptions = new CSharpParseOptions(LanguageVersion.CSharp12)
        .WithPreprocessorSymbols("NANOFRAMEWORK_1_0");

    private static readonly CSharpCompilationOptions _options = new(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable,
        deterministic: true);

    /// <summary>Compiles against <paramref name="references"/>, by default the nano mscorlib alone.</summary>
    public static CSharpCompilation Compile(string source, string assemblyName = "Snippet", MetadataReference[]? references = null) =>
        CSharpCompilation.Create(
            assemblyName,
            [CSharpSyntaxTree.ParseText(source, _parseOptions)],
            references ?? [CoreLibrary],
            _options);

    /// <summary>The assembly image; throws with the compiler's errors when the snippet does not compile.</summary>
    public static byte[] Emit(CSharpCompilation compilation)
    {
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        if (!result.Success)
        {
            var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error);
            throw new InvalidOperationException("Snippet does not compile:\n" + string.Join("\n", errors));
        }

        return image.ToArray();
    }

    /// <summary>Compiles against the nano mscorlib and checks the result like a portable assembly.</summary>
    public static IReadOnlyList<Violation> Check(string source) => Check(Emit(Compile(source)));

    public static IReadOnlyList<Violation> Check(byte[] image)
    {
        using var stream = new MemoryStream(image);
        return PortabilityChecker.Check(stream, PortabilityChecker.AllowedReferences, [NanoCoreLibrary.Path]);
    }
}
