using System.Text.Json;
using ChargerFirmware.Tests.Support;

namespace ChargerFirmware.Tests.Portability;

/// <summary>
/// Finds nanoFramework's mscorlib.dll the way the portable build found it: first from the restore
/// record of the Firmware project (obj/project.assets.json names the package folders and the package
/// version actually restored), then from NUGET_PACKAGES, then from ~/.nuget/packages.
/// </summary>
internal static class NanoCoreLibrary
{
    private const string PackageId = "nanoFramework.CoreLibrary";
    private const string PinnedVersion = "1.17.11";

    private static readonly Lazy<string> _path = new(Locate);

    public static string Path => _path.Value;

    private static string Locate()
    {
        var candidates = new List<string>();
        string root = RepositoryFiles.Root;
        string assets = System.IO.Path.Combine(root, "Firmware", "obj", "project.assets.json");
        if (File.Exists(assets))
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(assets));
            string packagePath = PackagePathFrom(document.RootElement);
            foreach (JsonProperty folder in document.RootElement.GetProperty("packageFolders").EnumerateObject())
            {
                candidates.Add(System.IO.Path.Combine(folder.Name, packagePath, "lib", "mscorlib.dll"));
            }
        }

        string defaultPackagePath = System.IO.Path.Combine(PackageId.ToLowerInvariant(), PinnedVersion, "lib", "mscorlib.dll");
        string? configured = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (!string.IsNullOrEmpty(configured))
        {
            candidates.Add(System.IO.Path.Combine(configured, defaultPackagePath));
        }

        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        candidates.Add(System.IO.Path.Combine(home, ".nuget", "packages", defaultPackagePath));

        return candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException("nanoFramework mscorlib.dll not found; looked at: " + string.Join(", ", candidates));
    }

    private static string PackagePathFrom(JsonElement assets)
    {
        foreach (JsonProperty library in assets.GetProperty("libraries").EnumerateObject())
        {
            if (library.Name.StartsWith(PackageId + "/", StringComparison.OrdinalIgnoreCase))
            {
                return library.Value.GetProperty("path").GetString()!;
            }
        }

        return System.IO.Path.Combine(PackageId.ToLowerInvariant(), PinnedVersion);
    }
}
