using System.Text.RegularExpressions;
using ChargerFirmware.Faults;
using ChargerFirmware.Tests.Support;
using Xunit;

namespace ChargerFirmware.Tests.Protocol;

/// <summary>The fault names the charger sends are the ones Protocol/README.md documents, with their kind.</summary>
public partial class FaultNamesTests
{
    [Fact]
    public void Every_fault_name_on_the_wire_is_documented_with_its_kind()
    {
        string readme = File.ReadAllText(RepositoryFiles.PathOf("Protocol", "README.md"));
        var rows = FaultRow().Matches(readme).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

        Assert.Equal(FaultCode.Count, rows.Count);
        for (int code = 0; code < FaultCode.Count; code++)
        {
            string name = FaultCode.Name(code);
            Assert.True(rows.ContainsKey(name), $"{name} is not in Protocol/README.md");
            string kind = FaultCode.IsLatched(code) ? "latched" : (FaultCode.WarningMask & (1 << code)) != 0 ? "warning" : "self-clearing";
            Assert.Equal(kind, rows[name]);
        }
    }

    [GeneratedRegex(@"^\| `([a-z0-9-]+)` \| (self-clearing|latched|warning) \|", RegexOptions.Multiline)]
    private static partial Regex FaultRow();
}
