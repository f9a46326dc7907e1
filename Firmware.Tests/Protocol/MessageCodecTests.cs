using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ChargerFirmware.Protocol;
using ChargerFirmware.Protocol.Messages;
using Xunit;

namespace ChargerFirmware.Tests.Protocol;

public class MessageCodecTests
{
    private const int RandomPerKind = 300;

    public static TheoryData<int> Kinds() => new(Samples.JsonKinds);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Random_messages_round_trip_field_for_field(int kind)
    {
        var rng = new Random(1000 + kind);
        var codec = new MessageCodec(Samples.ChargerId);
        var decoded = Samples.Create(kind);
        for (int i = 0; i < RandomPerKind; i++)
        {
            var message = Samples.Random(kind, rng);
            byte[] payload = Samples.Encode(message);
            Assert.True(codec.TryDecode(payload, payload.Length, decoded, out string? reason), $"{reason}: {Encoding.UTF8.GetString(payload)}");
            Assert.Null(reason);
            Samples.AssertSameFields(message, decoded);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Encoded_messages_satisfy_their_json_schema(int kind)
    {
        var rng = new Random(2000 + kind);
        string schema = ContractFiles.SchemaFileByKind[kind];
        for (int i = 0; i < 60; i++)
        {
            string json = Encoding.UTF8.GetString(Samples.Encode(Samples.Random(kind, rng)));
            Assert.Null(ContractFiles.Violations(schema, json));
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void System_Text_Json_reads_our_output_as_the_reference_encoding_and_byte_for_byte(int kind)
    {
        var rng = new Random(3000 + kind);
        for (int i = 0; i < RandomPerKind; i++)
        {
            var message = Samples.Random(kind, rng);
            byte[] ours = Samples.Encode(message);
            byte[] reference = StjReference.Encode(message, JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
            using var parsedOurs = JsonDocument.Parse(ours);
            using var parsedReference = JsonDocument.Parse(reference);
            StjReference.AssertEquivalent(parsedReference.RootElement, parsedOurs.RootElement);
            Assert.Equal(Encoding.UTF8.GetString(reference), Encoding.UTF8.GetString(ours));
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void We_decode_what_System_Text_Json_encodes_with_default_and_relaxed_escaping(int kind)
    {
        var rng = new Random(4000 + kind);
        var codec = new MessageCodec(Samples.ChargerId);
        var decoded = Samples.Create(kind);
        for (int i = 0; i < RandomPerKind; i++)
        {
            var message = Samples.Random(kind, rng);
            foreach (var encoder in new[] { JavaScriptEncoder.Default, JavaScriptEncoder.UnsafeRelaxedJsonEscaping })
            {
                byte[] payload = StjReference.Encode(message, encoder);
                Assert.True(codec.TryDecode(payload, payload.Length, decoded, out string? reason), $"{reason}: {Encoding.UTF8.GetString(payload)}");
                Samples.AssertSameFields(message, decoded);
            }
        }
    }

    [Fact]
    public void Times_with_offsets_and_escaped_plus_signs_are_read_as_the_same_instant()
    {
        var codec = new MessageCodec(Samples.ChargerId);
        var prices = new PricesMessage();
        string json = """{"v":1,"validFrom":"2027-01-15T17:00:00\u002B09:00","validTo":"2027-01-15T08:30:00.5-00:00","buyPrice":12.5,"sellPrice":25.5,"currency":"JPY"}""";
        byte[] payload = Encoding.UTF8.GetBytes(json);
        Assert.True(codec.TryDecode(payload, payload.Length, prices, out _));
        Assert.Equal(DateTimeOffset.Parse("2027-01-15T08:00:00Z").ToUnixTimeMilliseconds(), prices.ValidFromMs);
        Assert.Equal(DateTimeOffset.Parse("2027-01-15T08:30:00.5Z").ToUnixTimeMilliseconds(), prices.ValidToMs);
    }

    [Fact]
    public void Encoding_allocates_nothing()
    {
        var rng = new Random(5);
        var codec = new MessageCodec(Samples.ChargerId);
        var messages = Samples.JsonKinds.Select(k => Samples.Random(k, rng)).ToArray();
        var buffer = new byte[MessageCodec.MaxPayloadLength * 2];
        foreach (var m in messages)
        {
            codec.Encode(m, buffer);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int round = 0; round < 100; round++)
        {
            foreach (var m in messages)
            {
                Assert.True(codec.Encode(m, buffer) > 0);
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Decoding_allocates_only_the_strings_it_keeps()
    {
        var codec = new MessageCodec(Samples.ChargerId);
        byte[] ack = Encoding.UTF8.GetBytes("""{"v":1,"upTo":1043,"future":{"nested":[1,2,{"x":"y"}]}}""");
        byte[] dispatch = Encoding.UTF8.GetBytes("""{"v":1,"id":"d-2027-0001","seq":41,"issuedAt":"2027-01-15T17:25:00+09:00","durationS":1800,"setpointW":-7000,"buyPrice":12.5,"currency":"JPY"}""");
        var ackMessage = new LedgerAckMessage();
        var dispatchMessage = new DispatchMessage();
        codec.TryDecode(ack, ack.Length, ackMessage, out _);

        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.True(codec.TryDecode(ack, ack.Length, ackMessage, out _));
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        before = GC.GetAllocatedBytesForCurrentThread();
        Assert.True(codec.TryDecode(dispatch, dispatch.Length, dispatchMessage, out _));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long keptStrings = StringSize("d-2027-0001") + StringSize("JPY");
        Assert.Equal(keptStrings, allocated);
    }

    [Fact]
    public void A_text_decoded_lately_is_the_same_string_again_and_a_new_one_allocates()
    {
        var codec = new MessageCodec(Samples.ChargerId);
        byte[] first = Encoding.UTF8.GetBytes("""{"v":1,"id":"d-1","seq":41,"issuedAt":"2027-01-15T17:25:00Z","durationS":1800,"setpointW":-7000,"buyPrice":12.5,"currency":"JPY","chargerId":"ch-0017"}""");
        byte[] second = Encoding.UTF8.GetBytes("""{"v":1,"id":"d-2","seq":42,"issuedAt":"2027-01-15T17:26:00Z","durationS":1800,"setpointW":-7000,"buyPrice":12.5,"currency":"JPY","chargerId":"ch-0017"}""");
        var a = new DispatchMessage();
        var b = new DispatchMessage();
        Assert.True(codec.TryDecode(first, first.Length, a, out _));

        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.True(codec.TryDecode(second, second.Length, b, out _));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(("d-1", "d-2"), (a.Id, b.Id));
        Assert.Same(a.Currency, b.Currency);
        Assert.Same(a.ChargerId, b.ChargerId);
        Assert.Equal(StringSize("d-2"), allocated);
    }

    [Fact]
    public void A_buffer_too_small_gives_minus_one_never_a_partial_length()
    {
        var message = Samples.Random(MessageKind.Status, new Random(6));
        byte[] full = Samples.Encode(message);
        var codec = new MessageCodec(Samples.ChargerId);
        for (int size = 0; size < full.Length; size++)
        {
            Assert.Equal(-1, codec.Encode(message, new byte[size]));
        }

        Assert.Equal(full.Length, codec.Encode(message, new byte[full.Length]));
    }

    [Fact]
    public void Availability_is_plain_text_online_or_offline()
    {
        var buffer = new byte[16];
        int length = Availability.Encode(true, buffer);
        Assert.Equal("online", Encoding.ASCII.GetString(buffer, 0, length));
        Assert.True(Availability.TryDecode(buffer, length, out bool online) && online);
        length = Availability.Encode(false, buffer);
        Assert.Equal("offline", Encoding.ASCII.GetString(buffer, 0, length));
        Assert.True(Availability.TryDecode(buffer, length, out online) && !online);
        foreach (var bad in new[] { "", "Online", "online ", "\"online\"", "offlin", "onlinex" })
        {
            byte[] b = Encoding.ASCII.GetBytes(bad);
            Assert.False(Availability.TryDecode(b, b.Length, out _), bad);
        }

        Assert.Equal(-1, Availability.Encode(false, new byte[6]));
    }

    [Fact]
    public void Enum_like_constants_map_to_names_and_back_both_ways()
    {
        foreach (var names in new[] { DispatchStatus.Names, LedgerKind.Names, Settlement.Names, ConsentState.Names, EventType.Names, ChargerState.Names, PilotState.Names })
        {
            for (int value = 1; value <= names.Max; value++)
            {
                Assert.Equal(value, names.Parse(names.Name(value)));
            }

            Assert.Null(names.Name(0));
            Assert.Null(names.Name(names.Max + 1));
            Assert.Equal(0, names.Parse("no-such-name"));
            Assert.Equal(0, names.Parse(null));
        }

        Assert.Equal("aggregator-discharge", LedgerKind.Names.Name(LedgerKind.AggregatorDischarge));
        Assert.Equal("superseded", DispatchStatus.Names.Name(DispatchStatus.Superseded));
        Assert.Equal(EventType.DispatchExpired, EventType.Names.Parse("dispatch-expired"));
    }

    [Fact]
    public void Set_rejected_without_an_id_answers_malformed_as_the_contract_requires()
    {
        var ack = new DispatchAckMessage();
        ack.SetRejected(null, "out-of-range:setpointW", 0, 0);
        Assert.Equal(DecodeReason.Malformed, ack.Reason);
        Assert.Equal(DispatchStatus.Rejected, ack.Status);
        ack.SetRejected("d-1", "out-of-range:setpointW", 1500, 0);
        Assert.Equal("out-of-range:setpointW", ack.Reason);
        Assert.Null(ContractFiles.Violations("dispatch-ack.json", Encoding.UTF8.GetString(Samples.Encode(ack))));
    }

    // A .NET string of n chars takes 20 + 2n bytes plus the terminator, rounded up to 8.
    private static long StringSize(string s) => (22 + 2L * s.Length + 7) / 8 * 8;
}
