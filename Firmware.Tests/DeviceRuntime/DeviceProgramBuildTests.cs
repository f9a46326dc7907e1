using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using ChargerFirmware.App;
using Xunit;

namespace ChargerFirmware.Tests.DeviceRuntime;

/// <summary>
/// The device-runtime program runs as the device is flashed: optimised (Release) builds of it and of the
/// portable assemblies beside it. A solution-wide build once copied Debug-built ones there (a solution
/// build hands project references the solution's configuration); MetadataProcessor then refused
/// Firmware ("Byte code table overflow") and every device-runtime test failed without saying why.
/// </summary>
public class DeviceProgramBuildTests
{
    // System.Diagnostics.DebuggableAttribute.DebuggingModes.DisableOptimizations: set by a Debug build.
    private const int DisableOptimizations = 0x100;

    [Fact]
    public void The_device_program_and_the_assemblies_beside_it_are_optimised_builds()
    {
        string program = NanoClr.DeviceProgram;
        Assert.True(File.Exists(program), $"{program} is missing: building Firmware.Tests builds it (Release)");
        string[] assemblies = Directory.GetFiles(Path.GetDirectoryName(program)!, "ChargerFirmware.*.dll");
        Assert.Equal(5, assemblies.Length);
        foreach (string assembly in assemblies)
        {
            Assert.True(DebuggingModes(assembly) is int modes && (modes & DisableOptimizations) == 0, $"{assembly} is a Debug build: the device runs Release builds");
        }
    }

    [Fact]
    public void The_check_tells_a_debug_build_from_a_release_build()
    {
        // The firmware these tests load is built in the tests' own configuration.
#if DEBUG
        const bool debugBuild = true;
#else
        const bool debugBuild = false;
#endif
        int? modes = DebuggingModes(typeof(ChargerApp).Assembly.Location);
        Assert.NotNull(modes);
        Assert.Equal(debugBuild, (modes.Value & DisableOptimizations) != 0);
    }

    // The assembly's DebuggableAttribute argument (the C# compiler always emits one), or null.
    private static int? DebuggingModes(string assembly)
    {
        using FileStream stream = File.OpenRead(assembly);
        using var pe = new PEReader(stream);
        MetadataReader metadata = pe.GetMetadataReader();
        foreach (CustomAttributeHandle handle in metadata.GetAssemblyDefinition().GetCustomAttributes())
        {
            CustomAttribute attribute = metadata.GetCustomAttribute(handle);
            if (attribute.Constructor.Kind != HandleKind.MemberReference)
            {
                continue;
            }

            MemberReference constructor = metadata.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
            if (constructor.Parent.Kind != HandleKind.TypeReference
                || metadata.GetString(metadata.GetTypeReference((TypeReferenceHandle)constructor.Parent).Name) != "DebuggableAttribute")
            {
                continue;
            }

            BlobReader value = metadata.GetBlobReader(attribute.Value);
            value.ReadUInt16();
            return value.ReadInt32();
        }

        return null;
    }
}
