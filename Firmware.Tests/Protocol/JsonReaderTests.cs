using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ChargerFirmware.Protocol.Json;
using Xunit;

namespace ChargerFirmware.Tests.Protocol;

public class JsonReaderTests
{
    private const int Depth = 8;

    private static readonly JsonSerializerOptions[] Escapings =
    [
        new() { Encoder = JavaScriptEncoder.Default },
        new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping },
    ];

    [Fact]
    public void Reads_tokens_in_order_and_then_the_end()
    {
        var reader = Reader(""" { "a" : [1, -2.5e3, "x\n", true, false, null, {}], "b": {"c": []} } """);
        int[] expected =
        [
            JsonToken.StartObject, JsonToken.PropertyName, JsonToken.StartArray, JsonToken.Number, JsonToken.Number, JsonToken.String,
            JsonToken.True, JsonToken.False, JsonToken.Null, JsonToken.StartObject, JsonToken.EndObject, JsonToken.EndArray,
            JsonToken.PropertyName, JsonToken.StartObject, JsonToken.PropertyName, JsonToken.StartArray, JsonToken.EndArray,
            JsonToken.EndObject, JsonToken.EndObject, JsonToken.EndOfInput, JsonToken.EndOfInput,
        ];
        Assert.Equal(expected, expected.Select(_ => reader.Read()));
    }

    [Fact]
    public void Accepts_exactly_what_System_Text_Json_accepts_on_random_and_mutated_documents()
    {
        var rng = new Random(8259);
        var reader = new JsonReader(8192, Depth, 8192);
        int accepted = 0;
        for (int i = 0; i < 30_000; i++)
        {
            byte[] document = Encoding.UTF8.GetBytes(RandomJson(rng, 0));
            if (i % 4 != 0)
            {
                document = Mutate(rng, document);
            }

            reader.Reset(document, 0, document.Length);
            int token;
            do
            {
                token = reader.Read();
            }
            while (token != JsonToken.EndOfInput && token != JsonToken.Error);

            bool ours = token == JsonToken.EndOfInput;
            Assert.True(StjReference.IsStrictJson(document, Depth) == ours, $"ours {ours}: {Convert.ToHexString(document)} {Encoding.UTF8.GetString(document)}");
            accepted += ours ? 1 : 0;
        }

        Assert.InRange(accepted, 8_000, 25_000);
    }

    [Fact]
    public void Strings_written_by_System_Text_Json_decode_to_the_original()
    {
        var rng = new Random(10);
        var reader = new JsonReader(8192, Depth, 8192);
        foreach (var escaping in Escapings)
        {
            for (int i = 0; i < 10_000; i++)
            {
                string text = RandomValidUtf16(rng, rng.Next(0, 50));
                byte[] json = JsonSerializer.SerializeToUtf8Bytes(text, escaping);
                reader.Reset(json, 0, json.Length);
                Assert.Equal(JsonToken.String, reader.Read());
                Assert.True(reader.TryGetString(0, 1000, false, out string? decoded));
                Assert.Equal(text, decoded);
                Assert.Equal(2, reader.MatchString([null, text + "x", text]));
                Assert.Equal(JsonToken.EndOfInput, reader.Read());
            }
        }
    }

    [Fact]
    public void Strings_beyond_the_decode_capacity_are_read_but_never_match_or_convert()
    {
        var reader = new JsonReader(100, Depth, 4);
        byte[] json = Encoding.ASCII.GetBytes("[\"abcd\",\"abcde\",\"2027-01-01T00:00:00Z\"]");
        reader.Reset(json, 0, json.Length);
        reader.Read();
        reader.Read();
        Assert.Equal(0, reader.MatchString(["abcd"]));
        Assert.True(reader.TryGetString(0, 100, true, out _));
        reader.Read();
        Assert.Equal(-1, reader.MatchString(["abcde"]));
        Assert.False(reader.TryGetString(0, 100, true, out _));
        reader.Read();
        Assert.True(reader.TryGetTime(out _));
        Assert.Equal(JsonToken.EndArray, reader.Read());
        Assert.Equal(JsonToken.EndOfInput, reader.Read());
    }

    [Fact]
    public void String_limits_count_utf16_units_and_visible_ascii_excludes_space()
    {
        var reader = Reader("\"ab\\u0063\"");
        reader.Read();
        Assert.True(reader.TryGetString(3, 3, true, out string? value));
        Assert.Equal("abc", value);
        Assert.False(reader.TryGetString(4, 10, true, out _));
        Assert.False(reader.TryGetString(0, 2, true, out _));
        reader = Reader("\"a b\"");
        reader.Read();
        Assert.False(reader.TryGetString(0, 10, true, out _));
        Assert.True(reader.TryGetString(0, 10, false, out _));
        reader = Reader("\"\ud83d\ude00\"");
        reader.Read();
        Assert.True(reader.TryGetString(2, 2, false, out value));
        Assert.Equal("\ud83d\ude00", value);
    }

    [Theory]
    [InlineData("0", 3, 0L)]
    [InlineData("-0", 0, 0L)]
    [InlineData("-0.0e5", 3, 0L)]
    [InlineData("25.5", 3, 25500L)]
    [InlineData("25.50000000000000000000000000000", 3, 25500L)]
    [InlineData("0.001", 3, 1L)]
    [InlineData("1e-3", 3, 1L)]
    [InlineData("100e-2", 0, 1L)]
    [InlineData("1E+3", 0, 1000L)]
    [InlineData("1.0", 0, 1L)]
    [InlineData("6e1", 0, 60L)]
    [InlineData("9223372036854775807", 0, long.MaxValue)]
    [InlineData("-9223372036854775808", 0, long.MinValue)]
    [InlineData("-9223372036854775.808", 3, long.MinValue)]
    [InlineData("12345678901234567890000e-4", 0, 1234567890123456789L)]
    [InlineData("0e999999999999", 0, 0L)]
    [InlineData("1000000.000", 3, 1000000000L)]
    public void Numbers_convert_exactly_to_scaled_integers(string number, int decimals, long expected)
    {
        var reader = Reader(number);
        reader.Read();
        Assert.True(reader.TryGetDecimal(decimals, long.MinValue, long.MaxValue, out long value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("0.0005", 3)]
    [InlineData("1.5", 0)]
    [InlineData("1e-1", 0)]
    [InlineData("9223372036854775808", 0)]
    [InlineData("-9223372036854775809", 0)]
    [InlineData("1e19", 0)]
    [InlineData("1e999999999999", 0)]
    [InlineData("1e-999999999999", 3)]
    [InlineData("123456789012345678901", 0)]
    [InlineData("\"5\"", 0)]
    [InlineData("true", 0)]
    public void Numbers_that_do_not_fit_are_refused(string json, int decimals)
    {
        var reader = Reader(json);
        reader.Read();
        Assert.False(reader.TryGetDecimal(decimals, long.MinValue, long.MaxValue, out _));
    }

    [Fact]
    public void Random_numbers_convert_like_exact_big_integer_arithmetic()
    {
        var rng = new Random(11);
        var reader = new JsonReader(256, Depth, 256);
        for (int i = 0; i < 50_000; i++)
        {
            string integer = rng.Next(5) == 0 ? "0" : rng.Next(1, 10) + Digits(rng, rng.Next(0, 20));
            string fraction = rng.Next(2) == 0 ? "" : Digits(rng, rng.Next(1, 8)) + new string('0', rng.Next(0, 3));
            int exponent = rng.Next(3) == 0 ? rng.Next(-25, 25) : 0;
            bool negative = rng.Next(2) == 0;
            string text = (negative ? "-" : "") + integer + (fraction.Length > 0 ? "." + fraction : "") + (exponent != 0 ? "e" + exponent : "");
            int decimals = rng.Next(0, 4);

            var mantissa = BigInteger.Parse(integer + fraction, CultureInfo.InvariantCulture) * (negative ? -1 : 1);
            int scale = exponent - fraction.Length + decimals;
            BigInteger? exact = scale >= 0 ? mantissa * BigInteger.Pow(10, scale)
                : mantissa % BigInteger.Pow(10, -scale) == 0 ? mantissa / BigInteger.Pow(10, -scale) : null;
            bool fits = exact is { } e && e >= long.MinValue && e <= long.MaxValue;

            byte[] bytes = Encoding.ASCII.GetBytes(text);
            reader.Reset(bytes, 0, bytes.Length);
            Assert.Equal(JsonToken.Number, reader.Read());
            bool ok = reader.TryGetDecimal(decimals, long.MinValue, long.MaxValue, out long value);
            Assert.True(ok == fits, $"{text} x10^{decimals}: ours {ok}, exact {exact}");
            if (fits)
            {
                Assert.Equal((long)exact!.Value, value);
            }
        }
    }

    [Fact]
    public void Limits_on_length_and_depth_and_errors_stick()
    {
        var reader = new JsonReader(10, 2, 10);
        byte[] longer = Encoding.ASCII.GetBytes("[1,2,3,4,5]");
        reader.Reset(longer, 0, longer.Length);
        Assert.Equal(JsonToken.Error, reader.Read());
        reader.Reset(longer, 0, 10);
        while (reader.Token != JsonToken.Error)
        {
            Assert.NotEqual(JsonToken.EndOfInput, reader.Read());
        }

        byte[] deep = Encoding.ASCII.GetBytes("[[1]]");
        reader.Reset(deep, 0, deep.Length);
        while (reader.Read() is not (JsonToken.EndOfInput or JsonToken.Error))
        {
        }

        Assert.Equal(JsonToken.EndOfInput, reader.Token);
        deep = Encoding.ASCII.GetBytes("[[[1]]]");
        reader.Reset(deep, 0, deep.Length);
        Assert.Equal([JsonToken.StartArray, JsonToken.StartArray, JsonToken.Error, JsonToken.Error], new[] { reader.Read(), reader.Read(), reader.Read(), reader.Read() });
    }

    [Fact]
    public void Skipping_steps_over_whole_values()
    {
        var reader = Reader("""{"a":{"b":[1,{"c":2}],"d":3},"e":4}""");
        reader.Read();
        reader.Read();
        reader.Read();
        Assert.Equal(JsonToken.StartObject, reader.Token);
        reader.SkipValue();
        Assert.Equal(JsonToken.EndObject, reader.Token);
        Assert.Equal(1, reader.Depth);
        Assert.Equal(JsonToken.PropertyName, reader.Read());
        Assert.Equal(0, reader.MatchString(["e"]));
        reader.Read();
        reader.SkipValue();
        Assert.Equal(JsonToken.Number, reader.Token);
    }

    private static JsonReader Reader(string json)
    {
        var reader = new JsonReader(4096, Depth, 4096);
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        reader.Reset(bytes, 0, bytes.Length);
        return reader;
    }

    private static string Digits(Random rng, int count) => string.Concat(Enumerable.Range(0, count).Select(_ => (char)('0' + rng.Next(10))));

    private static string RandomValidUtf16(Random rng, int length) => JsonWriterTests.ReplaceLoneSurrogates(JsonWriterTests.RandomUtf16(rng, length), "");

    // Valid JSON with the shapes that matter: every number form, escapes, unicode, nesting up to 9 deep.
    private static string RandomJson(Random rng, int depth)
    {
        switch (rng.Next(depth > 8 ? 6 : 9))
        {
            case 0:
                return "null";
            case 1:
                return rng.Next(2) == 0 ? "true" : "false";
            case 2:
            case 3:
                return (rng.Next(3) == 0 ? "-" : "") + (rng.Next(3) == 0 ? "0" : rng.Next(1, 100000).ToString(CultureInfo.InvariantCulture))
                    + (rng.Next(2) == 0 ? "." + rng.Next(0, 1000) : "") + (rng.Next(4) == 0 ? "e" + (rng.Next(2) == 0 ? "-" : "+") + rng.Next(0, 30) : "");
            case 4:
            case 5:
                return JsonSerializer.Serialize(RandomValidUtf16(rng, rng.Next(0, 8)), Escapings[rng.Next(2)]);
            case 6:
            case 7:
                return "{" + string.Join(",", Enumerable.Range(0, rng.Next(0, 4)).Select(_ => Space(rng) + JsonSerializer.Serialize(RandomValidUtf16(rng, rng.Next(0, 5))) + Space(rng) + ":" + Space(rng) + RandomJson(rng, depth + 1))) + Space(rng) + "}";
            default:
                return "[" + string.Join(",", Enumerable.Range(0, rng.Next(0, 4)).Select(_ => Space(rng) + RandomJson(rng, depth + 1) + Space(rng))) + "]";
        }
    }

    private static string Space(Random rng) => rng.Next(4) switch { 0 => " ", 1 => "\n\t\r ", _ => "" };

    private static readonly byte[] Alphabet = Encoding.ASCII.GetBytes("{}[]:,\"\\/ -+.eE0123456789tfnulrsaxu\t\n");

    public static byte[] Mutate(Random rng, byte[] document)
    {
        var bytes = document.ToList();
        int edits = rng.Next(1, 4);
        for (int e = 0; e < edits; e++)
        {
            int at = bytes.Count == 0 ? 0 : rng.Next(bytes.Count);
            switch (rng.Next(7))
            {
                case 0 when bytes.Count > 0:
                    bytes.RemoveAt(at);
                    break;
                case 1:
                    bytes.Insert(at, Alphabet[rng.Next(Alphabet.Length)]);
                    break;
                case 2 when bytes.Count > 0:
                    bytes[at] = Alphabet[rng.Next(Alphabet.Length)];
                    break;
                case 3:
                    bytes.Insert(at, (byte)rng.Next(0x80, 0x100));
                    break;
                case 4 when bytes.Count > 0:
                    bytes.RemoveRange(at, rng.Next(1, bytes.Count - at + 1));
                    break;
                case 5 when bytes.Count > 0:
                    int length = rng.Next(1, Math.Min(16, bytes.Count - at) + 1);
                    bytes.InsertRange(rng.Next(bytes.Count + 1), bytes.GetRange(at, length));
                    break;
                default:
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(rng.Next(6) switch { 0 => "\\u", 1 => "\\ud800", 2 => ",", 3 => "//", 4 => "\u00e9", _ => "\ud83d\ude00" }));
                    break;
            }
        }

        return [.. bytes];
    }
}
