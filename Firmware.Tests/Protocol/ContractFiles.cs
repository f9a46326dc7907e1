using System.Text.Json;
using System.Text.RegularExpressions;
using ChargerFirmware.Tests.Support;
using Json.Schema;

namespace ChargerFirmware.Tests.Protocol;

/// <summary>
/// Loads Protocol/schemas/*.json (draft-07, cross-file refs to common.json) with JsonSchema.Net and
/// extracts from Protocol/asyncapi.yaml, without a YAML parser, what the tests check: the document is
/// written so every example payload is one line of JSON ("payload: {...}" or "payload: \"...\"") under
/// components/messages/&lt;name&gt;/examples, next to that message's "$ref: './schemas/&lt;file&gt;'".
/// </summary>
public static partial class ContractFiles
{
    public static readonly string ProtocolDirectory = RepositoryFiles.PathOf("Protocol");
    public static readonly string SchemaDirectory = Path.Combine(ProtocolDirectory, "schemas");
    public static readonly string AsyncApiPath = Path.Combine(ProtocolDirectory, "asyncapi.yaml");

    private static readonly Uri SchemaBase = new("https://chargerfirmware.invalid/schemas/");
    private static readonly Lazy<Dictionary<string, JsonSchema>> Schemas = new(LoadSchemas);
    private static readonly Lazy<AsyncApiDocument> Document = new(ReadAsyncApi);

    private static readonly EvaluationOptions Evaluation = new()
    {
        OutputFormat = OutputFormat.List,
        RequireFormatValidation = true,
    };

    /// <summary>Schema file name (e.g. "dispatch.json") of each message kind's schema.</summary>
    public static readonly IReadOnlyDictionary<int, string> SchemaFileByKind = new Dictionary<int, string>
    {
        [ChargerFirmware.Protocol.MessageKind.Availability] = "availability.json",
        [ChargerFirmware.Protocol.MessageKind.Status] = "status.json",
        [ChargerFirmware.Protocol.MessageKind.Event] = "event.json",
        [ChargerFirmware.Protocol.MessageKind.ConsentRequest] = "consent-request.json",
        [ChargerFirmware.Protocol.MessageKind.ConsentResponse] = "consent-response.json",
        [ChargerFirmware.Protocol.MessageKind.Dispatch] = "dispatch.json",
        [ChargerFirmware.Protocol.MessageKind.DispatchCancel] = "dispatch-cancel.json",
        [ChargerFirmware.Protocol.MessageKind.DispatchAck] = "dispatch-ack.json",
        [ChargerFirmware.Protocol.MessageKind.Prices] = "prices.json",
        [ChargerFirmware.Protocol.MessageKind.Telemetry] = "telemetry.json",
        [ChargerFirmware.Protocol.MessageKind.Ledger] = "ledger.json",
        [ChargerFirmware.Protocol.MessageKind.LedgerAck] = "ledger-ack.json",
    };

    public static AsyncApiDocument AsyncApi => Document.Value;

    public static JsonSchema Schema(string file) => Schemas.Value[file];

    /// <summary>Null when <paramref name="json"/> satisfies the schema, else the errors found.</summary>
    public static string? Violations(string schemaFile, string json)
    {
        using var document = JsonDocument.Parse(json);
        var result = Schema(schemaFile).Evaluate(document.RootElement, Evaluation);
        if (result.IsValid)
        {
            return null;
        }

        var errors = (result.Details ?? []).Where(d => d.Errors != null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} {e.Key}: {e.Value}"));
        return $"{schemaFile} rejects {json}: {string.Join("; ", errors)}";
    }


    private static Dictionary<string, JsonSchema> LoadSchemas()
    {
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        var result = new Dictionary<string, JsonSchema>();
        // common.json first: the others refer to it relative to their own URI. The base is a synthetic
        // https one because JsonSchema.Net 8.0.5 drops the "#/definitions/..." fragment under file: URIs.
        foreach (var path in Directory.GetFiles(SchemaDirectory, "*.json").OrderBy(p => Path.GetFileName(p) == "common.json" ? 0 : 1))
        {
            string file = Path.GetFileName(path);
            result[file] = JsonSchema.FromFile(path, options, new Uri(SchemaBase, file));
        }

        return result;
    }

    private static AsyncApiDocument ReadAsyncApi()
    {
        var lines = File.ReadAllLines(AsyncApiPath);
        var addresses = lines.Select(l => AddressLine().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
        var messages = new Dictionary<string, AsyncApiMessage>();
        int start = Array.IndexOf(lines, "  messages:", Array.IndexOf(lines, "components:"));
        AsyncApiMessage? current = null;
        for (int i = start + 1; i < lines.Length && (lines[i].Length == 0 || lines[i].StartsWith("    ", StringComparison.Ordinal)); i++)
        {
            var line = lines[i];
            var name = MessageNameLine().Match(line);
            if (name.Success)
            {
                current = new AsyncApiMessage(name.Groups[1].Value);
                messages.Add(current.Name, current);
                continue;
            }

            var schema = SchemaRefLine().Match(line);
            if (schema.Success)
            {
                current!.SchemaFile = schema.Groups[1].Value;
            }

            var example = ExampleNameLine().Match(line);
            if (example.Success)
            {
                current!.ExampleNames.Add(example.Groups[1].Value);
            }

            var payload = ExamplePayloadLine().Match(line);
            if (payload.Success)
            {
                current!.Examples.Add(payload.Groups[1].Value);
            }
        }

        return new AsyncApiDocument(addresses, messages);
    }

    [GeneratedRegex(@"^    address: '([^']+)'$")]
    private static partial Regex AddressLine();

    [GeneratedRegex(@"^    ([A-Za-z]+):$")]
    private static partial Regex MessageNameLine();

    [GeneratedRegex(@"^          \$ref: '\./schemas/([a-z-]+\.json)'$")]
    private static partial Regex SchemaRefLine();

    [GeneratedRegex(@"^        - name: (\S+)$")]
    private static partial Regex ExampleNameLine();

    [GeneratedRegex(@"^          payload: (.+)$")]
    private static partial Regex ExamplePayloadLine();
}

public sealed record AsyncApiDocument(IReadOnlyList<string> ChannelAddresses, IReadOnlyDictionary<string, AsyncApiMessage> Messages);

public sealed class AsyncApiMessage(string name)
{
    public string Name { get; } = name;

    public string? SchemaFile { get; set; }

    public List<string> ExampleNames { get; } = [];

    /// <summary>The payload of each example as JSON text (availability's are JSON strings).</summary>
    public List<string> Examples { get; } = [];
}
