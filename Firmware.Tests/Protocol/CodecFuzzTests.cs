using System.Diagnostics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChargerFirmware.Protocol.Messages;
using Xunit;
using Xunit.Abstractions;

namespace ChargerFirmware.Tests.Protocol;

/// <summary>
/// 100,000 seeded random and mutated payloads per incoming message type. Whatever comes in: no
/// exception, a rejection always carries a reason from the documented vocabulary naming a real field,
/// a salvaged id is a valid id, and whatever is accepted re-encodes to the same fields within the schema.
/// </summary>
public class CodecFuzzTests(ITestOutputHelper output)
{
    private const int PayloadsPerKind = 100_000;

    private static readonly string[] TrickyValues =
    [
        "null", "true", "false", "0", "-0", "1", "-1", "1.5", "0.0005", "1e400", "-1e-400", "9223372036854775807", "9223372036854775808",
        "-9223372036854775809", "100001", "86401", "1000000.001", "\"\"", "\"x\"", "\"JPY\"", "\"jpy\"", "\"2027-02-29T00:00:00Z\"",
        "\"2027-01-01T00:00:00+09:00\"", "\"9999-12-31T23:59:59.999Z\"", "\"" + new string('a', 65) + "\"", "[]", "{}", "[1,[2,[3]]]",
        "{\"preset\":\"p\",\"keptSocPct\":101}", "\"\\u0000\"", "\"\\ud83d\\ude00\"", "\"ch-0018\"", "2", "\"1\"",
    ];

    public static TheoryData<int> IncomingKinds() => new(Samples.IncomingKinds);

    [Theory]
    [MemberData(nameof(IncomingKinds))]
    public void Random_and_mutated_payloads_never_escape_the_contract(int kind)
    {
        var rng = new Random(7919 * kind);
        var codec = new MessageCodec(Samples.ChargerId);
        var into = Samples.Create(kind);
        var again = Samples.Create(kind);
        var reasonPattern = ReasonPattern(ContractFiles.SchemaFileByKind[kind]);
        byte[][] seeds = Seeds(kind, rng);
        var reasons = new Dictionary<string, int>();
        int accepted = 0;
        var payloads = new byte[PayloadsPerKind][];
        for (int i = 0; i < PayloadsPerKind; i++)
        {
            payloads[i] = Payload(rng, seeds, i);
        }

        // A pure decoding pass for the throughput figure; the checks follow in a second pass.
        var watch = Stopwatch.StartNew();
        foreach (var payload in payloads)
        {
            codec.TryDecode(payload, payload.Length, into, out _);
        }

        watch.Stop();
        foreach (var payload in payloads)
        {
            bool ok;
            string? reason;
            try
            {
                ok = codec.TryDecode(payload, payload.Length, into, out reason);
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"exception on {Convert.ToHexString(payload)}", e);
            }

            if (!ok)
            {
                Assert.True(reason != null && reasonPattern.IsMatch(reason), $"reason '{reason}' for {Describe(payload)}");
                string key = reason!.Contains(':', StringComparison.Ordinal) ? reason[..reason.IndexOf(':', StringComparison.Ordinal)] : reason;
                reasons[key] = reasons.GetValueOrDefault(key) + 1;
                AssertSalvagedIdIsValid(into);
                continue;
            }

            accepted++;
            Assert.Null(reason);
            byte[] reencoded = Samples.Encode(into);
            Assert.True(codec.TryDecode(reencoded, reencoded.Length, again, out reason), reason);
            Samples.AssertSameFields(into, again);
            if (accepted % 50 == 1)
            {
                Assert.True(StjReference.IsStrictJson(payload), Describe(payload));
                Assert.Null(ContractFiles.Violations(ContractFiles.SchemaFileByKind[kind], Encoding.UTF8.GetString(reencoded)));
            }
        }

        long bytes = payloads.Sum(p => (long)p.Length);
        double seconds = watch.Elapsed.TotalSeconds;
        output.WriteLine($"{into.GetType().Name}: {PayloadsPerKind} payloads, {bytes / 1e6:F1} MB, accepted {accepted}, "
            + $"decode {PayloadsPerKind / seconds:N0} payloads/s ({bytes / seconds / 1e6:F1} MB/s); rejections: "
            + string.Join(", ", reasons.OrderBy(r => r.Key).Select(r => $"{r.Key} {r.Value}")));

        Assert.InRange(accepted, PayloadsPerKind / 100, PayloadsPerKind / 2);
        foreach (var expected in new[] { "malformed", "too-large", "out-of-range", "unknown-version" })
        {
            Assert.True(reasons.GetValueOrDefault(expected) > 100, $"fuzz never reached {expected}");
        }
    }

    private static void AssertSalvagedIdIsValid(Message rejected)
    {
        string? id = rejected switch
        {
            DispatchMessage d => d.Id,
            DispatchCancelMessage c => c.Id,
            _ => null,
        };
        Assert.True(id == null || (id.Length is >= 1 and <= Limits.MaxTokenLength && id.All(c => c is >= '!' and <= '~')), id);
    }

    /// <summary>The documented reasons, with field names taken from the message's schema (and conditions'), so reasons and schema must agree.</summary>
    private static Regex ReasonPattern(string schemaFile)
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(ContractFiles.SchemaDirectory, schemaFile)));
        var names = schema.RootElement.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList();
        if (names.Contains("conditions"))
        {
            using var common = JsonDocument.Parse(File.ReadAllText(Path.Combine(ContractFiles.SchemaDirectory, "common.json")));
            var conditions = common.RootElement.GetProperty("definitions").GetProperty("conditions").GetProperty("properties");
            names.AddRange(conditions.EnumerateObject().Select(p => "conditions." + p.Name));
        }

        string fields = string.Join("|", names.Select(Regex.Escape));
        return new Regex($"^(malformed|unknown-version|too-large|wrong-charger|missing-field:({fields})|out-of-range:({fields}))$");
    }

    private static byte[][] Seeds(int kind, Random rng)
    {
        var seeds = new List<byte[]>();
        for (int i = 0; i < 40; i++)
        {
            var message = Samples.Random(kind, rng);
            seeds.Add(Samples.Encode(message));
            seeds.Add(StjReference.Encode(message, JavaScriptEncoder.Default));
        }

        string name = char.ToLowerInvariant(Samples.Create(kind).GetType().Name[0]) + Samples.Create(kind).GetType().Name[1..^"Message".Length];
        seeds.AddRange(ContractFiles.AsyncApi.Messages[name].Examples.Select(Encoding.UTF8.GetBytes));
        return [.. seeds];
    }

    private static byte[] Payload(Random rng, byte[][] seeds, int i)
    {
        byte[] seed = seeds[rng.Next(seeds.Length)];
        switch (i % 20)
        {
            case 0:
                return RandomBytes(rng, rng.Next(0, 300), 0, 256);
            case 1:
                return RandomBytes(rng, rng.Next(0, 300), 0x20, 0x7F);
            case 2:
            case 3:
            case 4:
                return ReplaceValue(rng, seed);
            case 5:
                return [.. seed[..^1], .. Encoding.ASCII.GetBytes("," + new string(' ', rng.Next(MessageCodec.MaxPayloadLength - seed.Length, MessageCodec.MaxPayloadLength + 50)) + "}")];
            default:
                return JsonReaderTests.Mutate(rng, seed);
        }
    }

    // A structurally valid payload with one member's value (or the version) replaced by a tricky value.
    private static byte[] ReplaceValue(Random rng, byte[] seed)
    {
        var node = JsonNode.Parse(seed)!.AsObject();
        var target = node;
        if (node["conditions"] is JsonObject conditions && rng.Next(2) == 0)
        {
            target = conditions;
        }

        var names = target.Select(p => p.Key).Append("unknownField").ToList();
        string name = names[rng.Next(names.Count)];
        if (rng.Next(8) == 0)
        {
            target.Remove(name);
        }
        else
        {
            target[name] = JsonNode.Parse(TrickyValues[rng.Next(TrickyValues.Length)]);
        }

        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    private static byte[] RandomBytes(Random rng, int length, int min, int max)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)rng.Next(min, max);
        }

        if (length > 0 && rng.Next(2) == 0)
        {
            bytes[0] = (byte)'{';
        }

        return bytes;
    }

    private static string Describe(byte[] payload) => Encoding.UTF8.GetString(payload[..Math.Min(payload.Length, 400)]) + " / " + Convert.ToHexString(payload[..Math.Min(payload.Length, 64)]);
}
