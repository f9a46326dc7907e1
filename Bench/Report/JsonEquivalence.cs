using System.Text.Json;

namespace ChargerFirmware.Bench.Report;

/// <summary>
/// Two JSON documents carry the same data: same members in any order, same strings (or the same
/// instant written with different fraction digits, "…00.250Z" and "…00.25Z"), numerically equal numbers.
/// </summary>
public static class JsonEquivalence
{
    public static bool Equal(JsonElement a, JsonElement b, out string where, string path = "$")
    {
        where = path;
        if (a.ValueKind != b.ValueKind)
        {
            return false;
        }

        switch (a.ValueKind)
        {
            case JsonValueKind.Object:
                var names = a.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
                if (!names.SequenceEqual(b.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)))
                {
                    return false;
                }

                foreach (string name in names)
                {
                    if (!Equal(a.GetProperty(name), b.GetProperty(name), out where, path + "." + name))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.Array:
                if (a.GetArrayLength() != b.GetArrayLength())
                {
                    return false;
                }

                for (int i = 0; i < a.GetArrayLength(); i++)
                {
                    if (!Equal(a[i], b[i], out where, $"{path}[{i}]"))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.String:
                return a.GetString() == b.GetString() || SameInstant(a.GetString()!, b.GetString()!);
            case JsonValueKind.Number:
                return a.GetDecimal() == b.GetDecimal();
            default:
                return true;
        }
    }

    private static bool SameInstant(string a, string b)
    {
        const System.Globalization.DateTimeStyles utc = System.Globalization.DateTimeStyles.AdjustToUniversal;
        return a.EndsWith('Z') && b.EndsWith('Z')
            && DateTimeOffset.TryParse(a, System.Globalization.CultureInfo.InvariantCulture, utc, out DateTimeOffset x)
            && DateTimeOffset.TryParse(b, System.Globalization.CultureInfo.InvariantCulture, utc, out DateTimeOffset y)
            && x == y;
    }
}
