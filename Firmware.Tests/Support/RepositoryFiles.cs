namespace ChargerFirmware.Tests.Support;

/// <summary>Finds files of the repository the tests run from (the folder holding ChargerFirmware.sln).</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ChargerFirmware.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ChargerFirmware.sln not found above " + AppContext.BaseDirectory);
    }
}
