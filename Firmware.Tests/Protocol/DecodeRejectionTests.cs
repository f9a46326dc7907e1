using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChargerFirmware.Protocol;
using ChargerFirmware.Protocol.Messages;
using Xunit;

namespace ChargerFirmware.Tests.Protocol;

public class DecodeRejectionTests
{
    private const string Dispatch = """{"v":1,"id":"d-1","seq":7,"issuedAt":"2027-01-01T00:00:00Z","startAt":"2027-01-01T00:01:00Z","durationS":60,"setpointW":-7000,"rampWps":500,"buyPrice":12.5,"sellPrice":25.5,"currency":"JPY","chargerId":"ch-0017"}""";

    private static readonly Dictionary<int, string> Valid = new()
    {
        [MessageKind.Dispatch] = Dispatch,
        [MessageKind.DispatchCancel] = """{"v":1,"id":"d-1"}""",
        [MessageKind.ConsentResponse] = """{"v":1,"sessionId":"s-1","nonce":"n-1","allow":true,"conditions":{"minSellPrice":25.5,"maxBuyPrice":15,"keptSocPct":40,"delegated":false}}""",
        [MessageKind.Prices] = """{"v":1,"validFrom":"2027-01-01T00:00:00Z","validTo":"2027-01-01T00:30:00Z","buyPrice":12.5,"sellPrice":25.5,"currency":"JPY"}""",
        [MessageKind.LedgerAck] = """{"v":1,"upTo":5}""",
    };

    private static readonly Dictionary<int, string[]> Required = new()
    {
        [MessageKind.Dispatch] = ["v", "id", "seq", "issuedAt", "durationS", "setpointW"],
        [MessageKind.DispatchCancel] = ["v", "id"],
        [MessageKind.ConsentResponse] = ["v", "sessionId", "nonce", "allow"],
        [MessageKind.Prices] = ["v", "validFrom", "validTo", "buyPrice", "sellPrice", "currency"],
        [MessageKind.LedgerAck] = ["v", "upTo"],
    };

    /// <summary>(kind, field, JSON value, whether the schema can express the rule too).</summary>
    public static TheoryData<int, string, string, bool> OutOfRange() => new()
    {
        { MessageKind.Dispatch, "id", "\"\"", true },
        { MessageKind.Dispatch, "id", '"' + new string('a', 65) + '"', true },
        { MessageKind.Dispatch, "id", "\"a b\"", true },
        { MessageKind.Dispatch, "id", "\"d\u00e9\"", true },
        { MessageKind.Dispatch, "id", "5", true },
        { MessageKind.Dispatch, "id", "null", true },
        { MessageKind.Dispatch, "id", "{}", true },
        { MessageKind.Dispatch, "seq", "0", true },
        { MessageKind.Dispatch, "seq", "-1", true },
        { MessageKind.Dispatch, "seq", "9223372036854775808", true },
        { MessageKind.Dispatch, "seq", "9223372036854775807", true },
        { MessageKind.Dispatch, "seq", "9007199254740992", true },
        { MessageKind.Dispatch, "seq", "1.5", true },
        { MessageKind.Dispatch, "seq", "\"7\"", true },
        { MessageKind.Dispatch, "issuedAt", "\"2027-02-29T00:00:00Z\"", true },
        { MessageKind.Dispatch, "issuedAt", "\"2100-02-29T00:00:00Z\"", true },
        { MessageKind.Dispatch, "issuedAt", "\"2027-01-01T24:00:00Z\"", true },
        { MessageKind.Dispatch, "issuedAt", "\"2027-01-01T00:00:60Z\"", true },
        { MessageKind.Dispatch, "issuedAt", "\"2027-01-01 00:00:00Z\"", true },
        { MessageKind.Dispatch, "issuedAt", "\"2027-01-01T00:00:00\"", true },
        { MessageKind.Dispatch, "issuedAt", "\"2027-01-01T00:00:00+0900\"", true },
        { MessageKind.Dispatch, "issuedAt", "\"2027-01-01T00:00:00.Z\"", true },
        { MessageKind.Dispatch, "issuedAt", "\"2027-01-01T00:00:00.1234567890Z\"", true },
        { MessageKind.Dispatch, "issuedAt", "1798761600000", true },
        { MessageKind.Dispatch, "startAt", "\"tomorrow\"", true },
        { MessageKind.Dispatch, "durationS", "0", true },
        { MessageKind.Dispatch, "durationS", "86401", true },
        { MessageKind.Dispatch, "durationS", "\"60\"", true },
        { MessageKind.Dispatch, "setpointW", "100001", true },
        { MessageKind.Dispatch, "setpointW", "-100001", true },
        { MessageKind.Dispatch, "setpointW", "1e6", true },
        { MessageKind.Dispatch, "setpointW", "0.5", true },
        { MessageKind.Dispatch, "setpointW", "true", true },
        { MessageKind.Dispatch, "rampWps", "0", true },
        { MessageKind.Dispatch, "rampWps", "200001", true },
        { MessageKind.Dispatch, "buyPrice", "-0.001", true },
        { MessageKind.Dispatch, "buyPrice", "1000000.001", true },
        { MessageKind.Dispatch, "buyPrice", "0.0005", false },
        { MessageKind.Dispatch, "buyPrice", "\"12.5\"", true },
        { MessageKind.Dispatch, "sellPrice", "1e7", true },
        { MessageKind.Dispatch, "currency", "\"jpy\"", true },
        { MessageKind.Dispatch, "currency", "\"JP\"", true },
        { MessageKind.Dispatch, "currency", "\"JPYY\"", true },
        { MessageKind.Dispatch, "currency", "392", true },
        { MessageKind.Dispatch, "chargerId", "\"\"", true },
        { MessageKind.Dispatch, "chargerId", "7", true },
        { MessageKind.DispatchCancel, "id", "\"\"", true },
        { MessageKind.DispatchCancel, "id", "[\"d-1\"]", true },
        { MessageKind.ConsentResponse, "sessionId", "null", true },
        { MessageKind.ConsentResponse, "nonce", '"' + new string('n', 65) + '"', true },
        { MessageKind.ConsentResponse, "allow", "\"true\"", true },
        { MessageKind.ConsentResponse, "allow", "1", true },
        { MessageKind.ConsentResponse, "conditions", "\"evening\"", true },
        { MessageKind.ConsentResponse, "conditions", "[]", true },
        { MessageKind.ConsentResponse, "conditions.keptSocPct", "101", true },
        { MessageKind.ConsentResponse, "conditions.minSellPrice", "-1", true },
        { MessageKind.ConsentResponse, "conditions.delegated", "\"yes\"", true },
        { MessageKind.ConsentResponse, "conditions.preset", "\"\"", true },
        { MessageKind.Prices, "validFrom", "\"2027-13-01T00:00:00Z\"", true },
        { MessageKind.Prices, "buyPrice", "-5", true },
        { MessageKind.Prices, "currency", "\"Yen\"", true },
        { MessageKind.LedgerAck, "upTo", "-1", true },
        { MessageKind.LedgerAck, "upTo", "9007199254740992", true },
        { MessageKind.LedgerAck, "upTo", "\"5\"", true },
        { MessageKind.LedgerAck, "upTo", "null", true },
    };

    public static TheoryData<string> MalformedJson() => new()
    {
        "", " ", "{", "}", "{}}", "[{}", "{]",
        """{"v":1,}""",
        """{"v":1 "id":"d-1"}""",
        """{"v":1,"id":"d-1",}""",
        """{"v":1,"x":[1,2,],"id":"d-1"}""",
        """// comment""" + "\n" + Dispatch,
        Dispatch + "/* comment */",
        """{"v":NaN,"id":"d-1"}""",
        """{"v":Infinity,"id":"d-1"}""",
        """{"v":01,"id":"d-1"}""",
        """{"v":1.,"id":"d-1"}""",
        """{"v":.5,"id":"d-1"}""",
        """{"v":+1,"id":"d-1"}""",
        """{"v":1e,"id":"d-1"}""",
        """{"v":-,"id":"d-1"}""",
        """{'v':1,"id":"d-1"}""",
        """{v:1,"id":"d-1"}""",
        """{"v":tRue}""",
        """{"v":tru}""",
        """{"v":1}{}""",
        """{"v":1} x""",
        """{"v":1,"id":"a\x"}""",
        """{"v":1,"id":"a\u12G4"}""",
        """{"v":1,"id":"a\uD800"}""",
        """{"v":1,"id":"a\uDC00\uD800"}""",
        """{"v":1,"id":"a\uD800\u0041"}""",
        "{\"v\":1,\"id\":\"a\u0001b\"}",
        "{\"v\":1,\"id\":\"a\nb\"}",
        """{"v":1,"id":"d-1""",
        """{"v":1,"id":"d-1",""",
        """{"v":1,"id":"d-1":2}""",
        """{"v":1,"id"}""",
    };

    private static readonly byte[][] InvalidUtf8 =
    [
        [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80],
        [0xFF], [0x80], [0xE2, 0x82], [0xC2, 0x41], [0xF0, 0x9F, 0x98],
    ];

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void Out_of_range_values_name_the_field_and_the_schema_agrees(int kind, string field, string value, bool schemaExpressesIt)
    {
        string json = With(Valid[kind], field, value);
        Assert.Equal("out-of-range:" + field, Reject(kind, json));
        string? violations = ContractFiles.Violations(ContractFiles.SchemaFileByKind[kind], json);
        if (schemaExpressesIt)
        {
            Assert.NotNull(violations);
        }
        else
        {
            Assert.Null(violations);
        }
    }

    [Fact]
    public void Every_absent_required_field_is_named()
    {
        foreach (var (kind, fields) in Required)
        {
            foreach (var field in fields)
            {
                var node = JsonNode.Parse(Valid[kind])!.AsObject();
                node.Remove(field);
                string json = node.ToJsonString();
                Assert.Equal("missing-field:" + field, Reject(kind, json));
                Assert.NotNull(ContractFiles.Violations(ContractFiles.SchemaFileByKind[kind], json));
            }
        }
    }

    [Fact]
    public void Rules_across_fields_are_enforced()
    {
        Assert.Equal("missing-field:currency", Reject(MessageKind.Dispatch, Without(Dispatch, "currency")));
        Assert.Equal("missing-field:currency", Reject(MessageKind.Dispatch, With(Dispatch, "currency", "null")));
        Assert.Equal("out-of-range:validTo", Reject(MessageKind.Prices, With(Valid[MessageKind.Prices], "validTo", "\"2027-01-01T00:00:00Z\"")));
        Assert.Equal("out-of-range:validTo", Reject(MessageKind.Prices, With(Valid[MessageKind.Prices], "validTo", "\"2027-01-01T09:00:00+09:00\"")));
        string both = With(Valid[MessageKind.ConsentResponse], "conditions.preset", "\"evening\"");
        Assert.Equal("out-of-range:conditions.preset", Reject(MessageKind.ConsentResponse, both));
        Assert.NotNull(ContractFiles.Violations("consent-response.json", both));
        Assert.Equal("wrong-charger", Reject(MessageKind.Dispatch, With(Dispatch, "chargerId", "\"ch-0018\"")));
    }

    [Theory]
    [MemberData(nameof(MalformedJson))]
    public void Text_that_is_not_strict_json_is_malformed_and_System_Text_Json_agrees(string json)
    {
        Assert.Equal(DecodeReason.Malformed, Reject(MessageKind.Dispatch, json));
        Assert.False(StjReference.IsStrictJson(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Valid_json_that_is_not_an_object_is_malformed()
    {
        foreach (var json in new[] { "null", "[]", "\"x\"", "1", "true", "[{\"v\":1,\"id\":\"d-1\"}]" })
        {
            Assert.True(StjReference.IsStrictJson(Encoding.UTF8.GetBytes(json)));
            Assert.Equal(DecodeReason.Malformed, Reject(MessageKind.Dispatch, json));
        }
    }

    [Fact]
    public void Invalid_utf8_anywhere_is_malformed_and_System_Text_Json_agrees()
    {
        foreach (var bad in InvalidUtf8)
        {
            foreach (var template in new[] { "{\"v\":1,\"id\":\"a#b\"}", "{\"v\":1,\"id\":\"d-1\",\"x#\":1}" })
            {
                int at = template.IndexOf('#', StringComparison.Ordinal);
                byte[] payload = [.. Encoding.ASCII.GetBytes(template[..at]), .. bad, .. Encoding.ASCII.GetBytes(template[(at + 1)..])];
                Assert.Equal(DecodeReason.Malformed, Reject(MessageKind.Dispatch, payload));
                Assert.False(StjReference.IsStrictJson(payload));
            }
        }
    }

    [Fact]
    public void A_byte_order_mark_a_duplicated_known_field_and_excessive_nesting_are_malformed()
    {
        Assert.Equal(DecodeReason.Malformed, Reject(MessageKind.Dispatch, [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Dispatch)]));
        Assert.Equal(DecodeReason.Malformed, Reject(MessageKind.Dispatch, Dispatch.Replace("\"durationS\":60", "\"durationS\":60,\"durationS\":60", StringComparison.Ordinal)));
        Assert.Equal(DecodeReason.Malformed, Reject(MessageKind.Dispatch, Dispatch.Replace("\"v\":1,", "\"v\":1,\"v\":1,", StringComparison.Ordinal)));
        Assert.Equal(DecodeReason.Malformed, Reject(MessageKind.ConsentResponse, With(Valid[MessageKind.ConsentResponse], "conditions.x", "1").Replace("\"x\":1", "\"keptSocPct\":40", StringComparison.Ordinal)));
        Assert.Equal(DecodeReason.Malformed, Reject(MessageKind.LedgerAck, """{"v":1,"upTo":5,"x":[[[[[[[[1]]]]]]]]}"""));
        Assert.True(Accept(MessageKind.LedgerAck, """{"v":1,"upTo":5,"x":[[[[[[[1]]]]]]]}"""));
    }

    [Fact]
    public void Payloads_over_2048_bytes_are_too_large_and_up_to_2048_are_read()
    {
        string exact = Dispatch[..^1] + new string(' ', MessageCodec.MaxPayloadLength - Dispatch.Length) + "}";
        Assert.Equal(MessageCodec.MaxPayloadLength, exact.Length);
        Assert.True(Accept(MessageKind.Dispatch, exact));
        Assert.Equal(DecodeReason.TooLarge, Reject(MessageKind.Dispatch, exact[..^1] + " }"));
        Assert.Equal(DecodeReason.TooLarge, Reject(MessageKind.Dispatch, new string('x', 5000)));
    }

    [Fact]
    public void The_version_must_be_the_integer_one()
    {
        Assert.Equal("missing-field:v", Reject(MessageKind.Dispatch, Without(Dispatch, "v")));
        foreach (var v in new[] { "2", "0", "-1", "1.5", "\"1\"", "null", "true", "{}", "[1]", "99999999999999999999" })
        {
            Assert.Equal(DecodeReason.UnknownVersion, Reject(MessageKind.Dispatch, With(Dispatch, "v", v)));
        }

        Assert.True(Accept(MessageKind.Dispatch, With(Dispatch, "v", "1.0")));
    }

    [Fact]
    public void Reasons_follow_the_documented_precedence()
    {
        string badSetpoint = With(Dispatch, "setpointW", "999999");
        Assert.Equal(DecodeReason.TooLarge, Reject(MessageKind.Dispatch, "{" + new string('[', 3000)));
        Assert.Equal(DecodeReason.Malformed, Reject(MessageKind.Dispatch, With(badSetpoint, "v", "2")[..^1] + ",}"));
        Assert.Equal("missing-field:v", Reject(MessageKind.Dispatch, Without(badSetpoint, "v")));
        Assert.Equal(DecodeReason.UnknownVersion, Reject(MessageKind.Dispatch, With(badSetpoint, "v", "2")));
        Assert.Equal(DecodeReason.WrongCharger, Reject(MessageKind.Dispatch, With(badSetpoint, "chargerId", "\"ch-9\"")));
        Assert.Equal("out-of-range:setpointW", Reject(MessageKind.Dispatch, Without(badSetpoint, "durationS")));
        Assert.Equal("out-of-range:seq", Reject(MessageKind.Dispatch, With(badSetpoint, "seq", "0")));
        Assert.Equal("missing-field:id", Reject(MessageKind.Dispatch, Without(Without(Dispatch, "durationS"), "id")));
    }

    [Fact]
    public void Rejected_dispatches_keep_their_id_for_the_ack_even_when_broken()
    {
        Assert.Equal("d-1", RejectedId(MessageKind.Dispatch, With(Dispatch, "setpointW", "999999")));
        Assert.Equal("d-1", RejectedId(MessageKind.Dispatch, With(Dispatch, "v", "7")));
        Assert.Equal("d-1", RejectedId(MessageKind.Dispatch, Dispatch + ","));
        Assert.Equal("d-9", RejectedId(MessageKind.Dispatch, """{"v":1,"setpointW":--,"id" : "d-9","x":{"id":"inner"}"""));
        Assert.Equal("d-9", RejectedId(MessageKind.Dispatch, """{"note":"\"id\":\"fake\"","id":"d-9",""" + new string(' ', 3000)));
        Assert.Equal("d-3", RejectedId(MessageKind.DispatchCancel, """{"v":1,"id":"d-3","x":NaN}"""));
        Assert.Null(RejectedId(MessageKind.Dispatch, Without(Dispatch, "id")));
        Assert.Null(RejectedId(MessageKind.Dispatch, """{"v":1,"x":{"id":"inner"},"setpointW":--}"""));
        Assert.Null(RejectedId(MessageKind.Dispatch, """{"v":1,"id":"a","id":"b"}"""));
        Assert.Equal("a\"b", RejectedId(MessageKind.Dispatch, """{"v":1,"id":"a\"b",--}"""));
        Assert.Null(RejectedId(MessageKind.Dispatch, """{"v":1,--,"id":"a\"b"}"""));
        Assert.Null(RejectedId(MessageKind.Dispatch, """{"v":1,"id":7,--}"""));
        Assert.Null(RejectedId(MessageKind.Dispatch, """{"v":1,"id":"a b",--}"""));
        Assert.Null(RejectedId(MessageKind.Dispatch, With(Dispatch, "id", '"' + new string('a', 65) + '"')));
        Assert.Null(RejectedId(MessageKind.Dispatch, """["id","d-1"]"""));
        Assert.Null(RejectedId(MessageKind.Dispatch, """{"v":1,"id":"unterminated"""));
    }

    [Fact]
    public void Unknown_fields_are_ignored_and_null_optionals_are_absent()
    {
        string extended = Dispatch[..^1] + ""","future":{"a":[1,{"b":null}],"c":"d"},"later":[true,false,null],"x":-0.5e-3}""";
        Assert.True(Accept(MessageKind.Dispatch, extended));
        Assert.Null(ContractFiles.Violations("dispatch.json", extended));

        string nulls = """{"v":1,"id":"d-2","seq":1,"issuedAt":"2027-01-01T00:00:00Z","startAt":null,"durationS":1,"setpointW":0,"rampWps":null,"buyPrice":null,"sellPrice":null,"currency":null,"chargerId":null}""";
        var dispatch = new DispatchMessage();
        Assert.True(Decode(nulls, dispatch, out _));
        Assert.False(dispatch.HasStartAt || dispatch.HasRampWps || dispatch.HasBuyPrice || dispatch.HasSellPrice);
        Assert.Null(dispatch.Currency);
        Assert.Null(dispatch.ChargerId);
        Assert.Null(ContractFiles.Violations("dispatch.json", nulls));
    }

    [Fact]
    public void A_reused_instance_forgets_everything_from_the_previous_payload()
    {
        var dispatch = new DispatchMessage();
        Assert.True(Decode(Dispatch, dispatch, out _));
        Assert.True(dispatch.HasStartAt && dispatch.HasRampWps && dispatch.HasBuyPrice && dispatch.Currency != null);
        Assert.True(Decode("""{"v":1,"id":"d-2","seq":8,"issuedAt":"2027-01-01T00:00:00Z","durationS":1,"setpointW":0}""", dispatch, out _));
        Samples.AssertSameFields(new DispatchMessage { Id = "d-2", Seq = 8, IssuedAtMs = 1798761600000, DurationS = 1 }, dispatch);

        var response = new ConsentResponseMessage();
        Assert.True(Decode(Valid[MessageKind.ConsentResponse], response, out _));
        Assert.True(response.HasConditions && response.Conditions.HasKeptSocPct);
        Assert.True(Decode("""{"v":1,"sessionId":"s","nonce":"n","allow":false}""", response, out _));
        Assert.False(response.HasConditions || response.Conditions.HasKeptSocPct);
    }

    [Fact]
    public void Whitespace_escapes_and_member_order_do_not_matter()
    {
        string spaced = " \t\r\n{ \"setpointW\" : -7000 ,\n\"v\":1, \"durationS\":6e1, \"\\u0069d\":\"d\\u002D1\", \"issuedAt\":\"2027-01-01T00:00:00Z\", \"seq\":7.0 }\n ";
        var dispatch = new DispatchMessage();
        Assert.True(Decode(spaced, dispatch, out string? reason), reason);
        Assert.Equal("d-1", dispatch.Id);
        Assert.Equal(60, dispatch.DurationS);
        Assert.Equal(7, dispatch.Seq);
    }

    private static string With(string json, string path, string value)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        string[] parts = path.Split('.');
        var target = parts.Length == 2 ? node[parts[0]]!.AsObject() : node;
        target[parts[^1]] = JsonNode.Parse(value);
        return node.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    private static string Without(string json, string field)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        node.Remove(field);
        return node.ToJsonString();
    }

    private static bool Decode(string json, Message into, out string? reason)
    {
        byte[] payload = Encoding.UTF8.GetBytes(json);
        return new MessageCodec(Samples.ChargerId).TryDecode(payload, payload.Length, into, out reason);
    }

    private static bool Accept(int kind, string json) => Decode(json, Samples.Create(kind), out _);

    private static string Reject(int kind, string json) => Reject(kind, Encoding.UTF8.GetBytes(json));

    private static string Reject(int kind, byte[] payload)
    {
        bool accepted = new MessageCodec(Samples.ChargerId).TryDecode(payload, payload.Length, Samples.Create(kind), out string? reason);
        Assert.False(accepted, "accepted: " + Encoding.UTF8.GetString(payload));
        return reason!;
    }

    private static string? RejectedId(int kind, string json)
    {
        var message = Samples.Create(kind);
        byte[] payload = Encoding.UTF8.GetBytes(json);
        Assert.False(new MessageCodec(Samples.ChargerId).TryDecode(payload, payload.Length, message, out _));
        return message is DispatchMessage d ? d.Id : ((DispatchCancelMessage)message).Id;
    }
}
