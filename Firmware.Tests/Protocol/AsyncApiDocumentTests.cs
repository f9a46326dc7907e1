using System.Text;
using System.Text.Json;
using ChargerFirmware.Protocol;
using ChargerFirmware.Protocol.Messages;
using Xunit;

namespace ChargerFirmware.Tests.Protocol;

public class AsyncApiDocumentTests
{
    private static readonly Dictionary<string, int> KindByMessage = new()
    {
        ["availability"] = MessageKind.Availability,
        ["status"] = MessageKind.Status,
        ["event"] = MessageKind.Event,
        ["consentRequest"] = MessageKind.ConsentRequest,
        ["consentResponse"] = MessageKind.ConsentResponse,
        ["dispatch"] = MessageKind.Dispatch,
        ["dispatchCancel"] = MessageKind.DispatchCancel,
        ["dispatchAck"] = MessageKind.DispatchAck,
        ["prices"] = MessageKind.Prices,
        ["telemetry"] = MessageKind.Telemetry,
        ["ledger"] = MessageKind.Ledger,
        ["ledgerAck"] = MessageKind.LedgerAck,
    };

    [Fact]
    public void Every_message_has_its_schema_file_and_examples()
    {
        var messages = ContractFiles.AsyncApi.Messages;
        Assert.Equal(KindByMessage.Keys.Order(), messages.Keys.Order());
        foreach (var (name, message) in messages)
        {
            Assert.Equal(ContractFiles.SchemaFileByKind[KindByMessage[name]], message.SchemaFile);
            Assert.NotEmpty(message.Examples);
            Assert.Equal(message.ExampleNames.Count, message.Examples.Count);
        }

        var files = Directory.GetFiles(ContractFiles.SchemaDirectory, "*.json").Select(Path.GetFileName).Where(f => f != "common.json");
        Assert.Equal(files.Order(), messages.Values.Select(m => m.SchemaFile).Order());
    }

    [Fact]
    public void Every_example_satisfies_its_schema()
    {
        int count = 0;
        foreach (var message in ContractFiles.AsyncApi.Messages.Values)
        {
            foreach (var example in message.Examples)
            {
                Assert.Null(ContractFiles.Violations(message.SchemaFile!, example));
                count++;
            }
        }

        Assert.True(count >= 25, $"only {count} examples found");
    }

    [Fact]
    public void Every_json_example_is_accepted_by_our_codec_and_survives_a_round_trip()
    {
        var codec = new MessageCodec(Samples.ChargerId);
        foreach (var (name, message) in ContractFiles.AsyncApi.Messages)
        {
            int kind = KindByMessage[name];
            foreach (var example in message.Examples)
            {
                if (kind == MessageKind.Availability)
                {
                    byte[] text = Encoding.ASCII.GetBytes(JsonSerializer.Deserialize<string>(example)!);
                    Assert.True(Availability.TryDecode(text, text.Length, out _), example);
                    continue;
                }

                byte[] payload = Encoding.UTF8.GetBytes(example);
                var decoded = Samples.Create(kind);
                Assert.True(codec.TryDecode(payload, payload.Length, decoded, out string? reason), $"{reason}: {example}");
                byte[] again = Samples.Encode(decoded);
                Assert.Null(ContractFiles.Violations(message.SchemaFile!, Encoding.UTF8.GetString(again)));
                var redecoded = Samples.Create(kind);
                Assert.True(codec.TryDecode(again, again.Length, redecoded, out reason), reason);
                Samples.AssertSameFields(decoded, redecoded);
            }
        }
    }

    [Fact]
    public void Channel_addresses_are_exactly_the_topics_the_charger_uses()
    {
        var topics = new Topics(Topics.DefaultPrefix, "X");
        var expected = Enumerable.Range(1, MessageKind.Count - 1).Select(k => topics.ForKind(k)!).Order();
        var documented = ContractFiles.AsyncApi.ChannelAddresses.Select(a => a.Replace("{chargerId}", "X", StringComparison.Ordinal)).Order();
        Assert.Equal(expected, documented);
    }

    [Fact]
    public void Operations_send_what_the_charger_publishes_and_receive_what_it_subscribes_to()
    {
        string yaml = File.ReadAllText(ContractFiles.AsyncApiPath);
        var topics = new Topics(Topics.DefaultPrefix, "X");
        foreach (var (name, kind) in KindByMessage)
        {
            string channel = name == "event" ? "events" : name;
            string verb = MessageKind.IsIncoming(kind) ? "receive" : "send";
            string header = $"\n  {verb}{char.ToUpperInvariant(name[0])}{name[1..]}:\n";
            int at = yaml.IndexOf(header, StringComparison.Ordinal);
            Assert.True(at >= 0, header);
            int end = yaml.IndexOf("\n  ", at + header.Length, StringComparison.Ordinal);
            while (end >= 0 && yaml[end + 3] == ' ')
            {
                end = yaml.IndexOf("\n  ", end + 1, StringComparison.Ordinal);
            }

            string block = yaml[at..(end < 0 ? yaml.Length : end)];
            Assert.Contains($"    action: {verb}\n", block, StringComparison.Ordinal);
            Assert.Contains($"    channel:\n      $ref: '#/channels/{channel}'\n", block, StringComparison.Ordinal);
            Assert.Contains($"        qos: {MessageKind.Qos(kind)}\n", block, StringComparison.Ordinal);
            Assert.Equal(MessageKind.Retain(kind), block.Contains("retain: true", StringComparison.Ordinal));
            Assert.NotNull(topics.ForKind(kind));
        }
    }

    [Fact]
    public void The_schemas_reject_what_the_contract_forbids()
    {
        // Proof that the schemas (and their references into common.json) really constrain.
        string dispatch = """{"v":1,"id":"d-1","seq":1,"issuedAt":"2027-01-01T00:00:00Z","durationS":60,"setpointW":1000}""";
        Assert.Null(ContractFiles.Violations("dispatch.json", dispatch));
        Assert.NotNull(ContractFiles.Violations("dispatch.json", dispatch.Replace("1000}", "100001}", StringComparison.Ordinal)));
        Assert.NotNull(ContractFiles.Violations("dispatch.json", dispatch.Replace("\"d-1\"", "\"a b\"", StringComparison.Ordinal)));
        Assert.NotNull(ContractFiles.Violations("dispatch.json", dispatch.Replace("2027-01-01T", "2027-02-30T", StringComparison.Ordinal)));
        Assert.NotNull(ContractFiles.Violations("dispatch.json", dispatch.Replace("1000}", "1000,\"buyPrice\":1}", StringComparison.Ordinal)));
        Assert.NotNull(ContractFiles.Violations("dispatch.json", dispatch.Replace("\"v\":1", "\"v\":2", StringComparison.Ordinal)));
        Assert.NotNull(ContractFiles.Violations("availability.json", "\"maybe\""));
        Assert.NotNull(ContractFiles.Violations("dispatch-ack.json", """{"v":1,"id":null,"status":"accepted","reason":null,"appliedW":0,"at":"2027-01-01T00:00:00Z"}"""));
        Assert.NotNull(ContractFiles.Violations("consent-response.json", """{"v":1,"sessionId":"s","nonce":"n","allow":true,"conditions":{"preset":"p","keptSocPct":40}}"""));
        Assert.NotNull(ContractFiles.Violations("event.json", """{"v":1,"type":"fault-raised","at":"2027-01-01T00:00:00Z","sessionId":null}"""));
        Assert.NotNull(ContractFiles.Violations("status.json", """{"v":1}"""));
    }
}
