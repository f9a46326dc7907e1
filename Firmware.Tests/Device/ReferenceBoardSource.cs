using System.Text.RegularExpressions;
using ChargerFirmware.Tests.Support;

namespace ChargerFirmware.Tests.Device;

/// <summary>
/// The constants of Drivers/Device/Board/ReferenceBoard.cs, read from its source: the file is device-only
/// (not in the portable build) and stays the one place the board's numbers live.
/// </summary>
internal static partial class ReferenceBoardSource
{
    private static readonly Dictionary<string, string> Constants = Read();

    public static int Int(string name) => int.Parse(Constants[name], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Every int constant whose name ends in "Pin": GPIO numbers.</summary>
    public static IReadOnlyDictionary<string, int> Pins() =>
        Constants.Where(c => c.Key.EndsWith("Pin", StringComparison.Ordinal))
            .ToDictionary(c => c.Key, c => int.Parse(c.Value, System.Globalization.CultureInfo.InvariantCulture));

    private static Dictionary<string, string> Read()
    {
        string text = File.ReadAllText(RepositoryFiles.PathOf("Drivers", "Device", "Board", "ReferenceBoard.cs"));
        return ConstantPattern().Matches(text).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value);
    }

    [GeneratedRegex(@"public const int (?<name>\w+) = (?<value>-?\d+);")]
    private static partial Regex ConstantPattern();
}
