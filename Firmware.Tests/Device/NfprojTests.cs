using System.Text.RegularExpressions;
using System.Xml.Linq;
using ChargerFirmware.Tests.Support;
using Xunit;

namespace ChargerFirmware.Tests.Device;

/// <summary>
/// The device projects cannot be built here (no nanoFramework toolchain on Linux), so their structure is
/// checked instead: nanoFramework project type and imports, the shared nfproj.props, and references,
/// packages.config and pinned versions that agree with each other.
/// </summary>
public partial class NfprojTests
{
    private static readonly XNamespace Msb = "http://schemas.microsoft.com/developer/msbuild/2003";

    public static TheoryData<string> Projects => new() { "Protocol", "Drivers", "Firmware", "Application" };

    private static XDocument Project(string name) => XDocument.Load(RepositoryFiles.PathOf(name, name + ".nfproj"));

    private static Dictionary<string, string> PinnedVersions() =>
        XDocument.Load(RepositoryFiles.PathOf("nfproj.props")).Descendants()
            .Where(e => e.Name.LocalName.StartsWith("NfVersion_", StringComparison.Ordinal))
            .ToDictionary(e => e.Name.LocalName, e => e.Value);

    private static Dictionary<string, string> PackagesConfig(string name) =>
        XDocument.Load(RepositoryFiles.PathOf(name, "packages.config")).Descendants("package")
            .ToDictionary(p => (string)p.Attribute("id")!, p => (string)p.Attribute("version")!);

    private static string VersionProperty(string packageId) =>
        "NfVersion_" + packageId["nanoFramework.".Length..].Replace('.', '_');

    [Theory]
    [MemberData(nameof(Projects))]
    public void Project_is_a_nanoframework_csharp_project_using_the_shared_props(string name)
    {
        var project = Project(name);
        string typeGuids = project.Descendants(Msb + "ProjectTypeGuids").Single().Value;
        var imports = project.Descendants(Msb + "Import").Select(i => (string)i.Attribute("Project")!).ToList();

        Assert.Contains("{11A8DD76-328B-46DF-9F39-F559912D0360}", typeGuids, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(
            ["NFProjectSystem.Default.props", "NFProjectSystem.props", "nfproj.props", "NFProjectSystem.CSharp.targets"],
            imports.Select(i => i.Split('\\', ')').Last()));
        Assert.Equal(@"..\nfproj.props", imports[2]);
        Assert.Equal("v1.0", project.Descendants(Msb + "TargetFrameworkVersion").Single().Value);
        Assert.Equal("ChargerFirmware." + name, project.Descendants(Msb + "AssemblyName").Single().Value);
        Assert.Equal(name == "Application" ? "Exe" : "Library", project.Descendants(Msb + "OutputType").Single().Value);
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void Project_compiles_every_source_of_its_folder_but_build_output(string name)
    {
        var compile = Project(name).Descendants(Msb + "Compile").Single();

        Assert.Equal(@"**\*.cs", (string)compile.Attribute("Include")!);
        Assert.Equal(@"bin\**;obj\**", (string)compile.Attribute("Exclude")!);
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void References_packages_config_and_pinned_versions_agree(string name)
    {
        var pinned = PinnedVersions();
        var packages = PackagesConfig(name);
        var referencedPackages = new HashSet<string>();

        foreach (var reference in Project(name).Descendants(Msb + "Reference"))
        {
            string include = (string)reference.Attribute("Include")!;
            string hintPath = reference.Element(Msb + "HintPath")!.Value;
            var match = HintPathPattern().Match(hintPath);
            Assert.True(match.Success, hintPath);
            string packageId = match.Groups["id"].Value;

            Assert.Equal(VersionProperty(packageId), match.Groups["property"].Value);
            Assert.Equal(include, match.Groups["dll"].Value);
            Assert.True(pinned.ContainsKey(match.Groups["property"].Value), "nfproj.props pins no " + packageId);
            Assert.True(packages.TryGetValue(packageId, out string? listed), "packages.config lacks " + packageId);
            Assert.Equal(pinned[match.Groups["property"].Value], listed);
            referencedPackages.Add(packageId);
        }

        Assert.Equal(packages.Keys.Order(), referencedPackages.Order());
        Assert.Equal("1.17.11", pinned["NfVersion_CoreLibrary"]);
    }

    [Fact]
    public void Firmware_references_the_other_device_projects_and_carries_their_packages()
    {
        var references = Project("Firmware").Descendants(Msb + "ProjectReference").Select(r => (string)r.Attribute("Include")!).ToList();
        Assert.Equal([@"..\Protocol\Protocol.nfproj", @"..\Drivers\Drivers.nfproj"], references);

        var firmwarePackages = PackagesConfig("Firmware");
        Assert.All(PackagesConfig("Drivers"), p => Assert.Equal(p.Value, firmwarePackages[p.Key]));
        Assert.Contains("nanoFramework.M2Mqtt", firmwarePackages.Keys);
        Assert.Contains("nanoFramework.Networking.Sntp", firmwarePackages.Keys);
    }

    [Fact]
    public void The_application_references_every_device_project_and_its_image_carries_their_packages()
    {
        var references = Project("Application").Descendants(Msb + "ProjectReference").Select(r => (string)r.Attribute("Include")!).ToList();
        Assert.Equal([@"..\Protocol\Protocol.nfproj", @"..\Drivers\Drivers.nfproj", @"..\Firmware\Firmware.nfproj"], references);

        var applicationPackages = PackagesConfig("Application");
        Assert.All(PackagesConfig("Firmware"), p => Assert.Equal(p.Value, applicationPackages[p.Key]));
    }

    [Fact]
    public void Project_guids_are_distinct_and_match_the_project_references()
    {
        var guids = new[] { "Protocol", "Drivers", "Firmware", "Application" }.ToDictionary(
            n => n, n => Project(n).Descendants(Msb + "ProjectGuid").Single().Value.Trim('{', '}').ToUpperInvariant());
        Assert.Equal(4, guids.Values.Distinct().Count());

        foreach (var reference in Project("Firmware").Descendants(Msb + "ProjectReference").Concat(Project("Application").Descendants(Msb + "ProjectReference")))
        {
            string target = reference.Element(Msb + "Name")!.Value;
            Assert.Equal(guids[target], reference.Element(Msb + "Project")!.Value.Trim('{', '}').ToUpperInvariant());
        }
    }

    [Fact]
    public void Device_build_keeps_its_intermediates_away_from_the_sdk_projects()
    {
        var props = XDocument.Load(RepositoryFiles.PathOf("nfproj.props")).Descendants().ToList();

        Assert.Equal(@"obj\nano\", props.Single(e => e.Name.LocalName == "BaseIntermediateOutputPath").Value);
        Assert.Equal("false", props.Single(e => e.Name.LocalName == "ResolveNuGetPackages").Value);
        Assert.Contains("NANOFRAMEWORK_1_0", props.Single(e => e.Name.LocalName == "DefineConstants").Value, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\$\(NanoPackagesDir\)(?<id>nanoFramework\.[\w.]+)\.\$\((?<property>NfVersion_\w+)\)\\lib\\(?<dll>[\w.]+)\.dll$")]
    private static partial Regex HintPathPattern();
}
