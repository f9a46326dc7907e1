using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Xunit;

namespace ChargerFirmware.Tests.Portability;

/// <summary>
/// The portability check on the real build: the portable assemblies next to this test assembly (copied
/// there by the ProjectReferences, so they are the very files the host runs) must hold nothing that
/// the nanoFramework 1.x runtime cannot run.
/// </summary>
public class PortableAssembliesTests
{
    private static string PathOf(string assembly) => Path.Combine(AppContext.BaseDirectory, assembly + ".dll");

    [Fact]
    public void PortableAssembliesRunOnNanoFramework()
    {
        var paths = PortabilityChecker.PortableAssemblies.Select(PathOf).ToList();
        Assert.All(paths, path => Assert.True(File.Exists(path), $"portable assembly missing: {path}"));

        var references = paths.Append(NanoCoreLibrary.Path).ToList();
        var violations = paths
            .SelectMany(path => PortabilityChecker.Check(path, PortabilityChecker.AllowedReferences, references))
            .ToList();

        Assert.True(violations.Count == 0, $"{violations.Count} portability violation(s):\n" + string.Join("\n", violations));
    }

    [Fact]
    public void Portable_assemblies_reference_the_packaged_nano_mscorlib()
    {
        AssemblyName packaged = AssemblyName.GetAssemblyName(NanoCoreLibrary.Path);
        Assert.Equal(PortabilityChecker.CoreLibrary, packaged.Name);
        Assert.Equal((1, 17), (packaged.Version!.Major, packaged.Version.Minor));

        foreach (string assembly in PortabilityChecker.PortableAssemblies)
        {
            using var pe = new PEReader(File.OpenRead(PathOf(assembly)));
            MetadataReader reader = pe.GetMetadataReader();
            var coreLibraries = reader.AssemblyReferences
                .Select(handle => reader.GetAssemblyReference(handle).GetAssemblyName())
                .Where(name => name.Name == PortabilityChecker.CoreLibrary)
                .ToList();

            AssemblyName referenced = Assert.Single(coreLibraries);
            Assert.Equal(packaged.Version, referenced.Version);
            Assert.Equal(packaged.GetPublicKeyToken(), referenced.GetPublicKeyToken());
        }
    }
}
