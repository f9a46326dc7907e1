using System.Globalization;
using System.Text;
using System.Text.Json;
using ChargerFirmware.Protocol.Json;
using Xunit;

namespace ChargerFirmware.Tests.Protocol;

public class JsonWriterTests
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    [Fact]
    public void Any_string_comes_out_as_valid_utf8_that_System_Text_Json_reads_back()
    {
        var rng = new Random(8);
        var writer = new JsonWriter();
        var buffer = new byte[4096];
        for (int i = 0; i < 20_000; i++)
        {
            string text = RandomUtf16(rng, rng.Next(0, 40));
            writer.Reset(buffer);
            writer.StringValue(text);
            Assert.False(writer.Failed);
            byte[] json = buffer[..writer.Length];
            StrictUtf8.GetString(json);
            Assert.Equal(ReplaceLoneSurrogates(text, "\uFFFD"), JsonSerializer.Deserialize<string>(json));
        }
    }

    [Fact]
    public void Escapes_quotes_backslashes_and_control_characters_only()
    {
        Assert.Equal("\"a\\\"b\\\\c/\\b\\f\\n\\r\\t\\u0000\\u001f\u007f\u00e9\u20ac\ud83d\ude00\"", Write(w => w.StringValue("a\"b\\c/\b\f\n\r\t\0\u001f\u007f\u00e9\u20ac\ud83d\ude00")));
        Assert.Equal("\"\uFFFD\uFFFDx\"", Write(w => w.StringValue("\udc00\ud800x")));
    }

    [Theory]
    [InlineData(0L, 3, "0")]
    [InlineData(25500L, 3, "25.5")]
    [InlineData(-125L, 3, "-0.125")]
    [InlineData(7000L, 3, "7")]
    [InlineData(1000000000L, 3, "1000000")]
    [InlineData(50L, 3, "0.05")]
    [InlineData(1L, 3, "0.001")]
    [InlineData(-385L, 1, "-38.5")]
    [InlineData(long.MaxValue, 0, "9223372036854775807")]
    [InlineData(long.MinValue, 0, "-9223372036854775808")]
    [InlineData(long.MinValue, 3, "-9223372036854775.808")]
    public void Decimals_come_from_scaled_integers_without_trailing_zeros(long scaled, int decimals, string expected)
    {
        Assert.Equal(expected, Write(w => w.DecimalValue(scaled, decimals)));
    }

    [Fact]
    public void Random_decimals_match_the_shortest_exact_decimal_text()
    {
        var rng = new Random(9);
        for (int i = 0; i < 50_000; i++)
        {
            long scaled = rng.Next(3) == 0 ? rng.Next(-100000, 100000) : rng.NextInt64(long.MinValue, long.MaxValue);
            int decimals = rng.Next(0, 7);
            decimal exact = scaled / (decimal)Math.Pow(10, decimals);
            string expected = (exact / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);
            Assert.Equal(expected, Write(w => w.DecimalValue(scaled, decimals)));
        }
    }

    [Fact]
    public void Places_commas_and_colons_like_System_Text_Json()
    {
        string ours = Write(w =>
        {
            w.BeginObject();
            w.WriteInteger("a", 1);
            w.Name("b");
            w.BeginArray();
            w.IntegerValue(1);
            w.BeginObject();
            w.EndObject();
            w.BeginArray();
            w.EndArray();
            w.NullValue();
            w.BoolValue(true);
            w.BoolValue(false);
            w.EndArray();
            w.WriteInteger("c", false, 5);
            w.WriteInteger("d", true, -5);
            w.WriteMilli("e", 1500);
            w.WriteDecimal("f", 385, 1);
            w.WriteBool("g", false);
            w.WriteTime("h", 0);
            w.WriteString("i", null);
            w.EndObject();
        });
        Assert.Equal("""{"a":1,"b":[1,{},[],null,true,false],"c":null,"d":-5,"e":1.5,"f":38.5,"g":false,"h":"1970-01-01T00:00:00Z","i":null}""", ours);
        using var _ = JsonDocument.Parse(ours);
    }

    [Fact]
    public void Reports_failure_instead_of_writing_past_the_buffer_too_deep_or_an_unwritable_time()
    {
        var writer = new JsonWriter();
        var buffer = new byte[10];
        writer.Reset(buffer, 2, 5);
        writer.StringValue("abcdefgh");
        Assert.True(writer.Failed);
        Assert.Equal(0, buffer[0] | buffer[1] | buffer[7] | buffer[8] | buffer[9]);

        writer.Reset(buffer);
        writer.IntegerValue(12345678901);
        Assert.True(writer.Failed);

        writer.Reset(new byte[100]);
        for (int i = 0; i <= JsonWriter.MaxDepth; i++)
        {
            writer.BeginArray();
        }

        Assert.True(writer.Failed);

        writer.Reset(new byte[100]);
        writer.TimeValue(Rfc3339.MaxUnixMs + 1);
        Assert.True(writer.Failed);

        writer.Reset(new byte[100]);
        writer.EndObject();
        Assert.True(writer.Failed);

        writer.Reset(new byte[100]);
        writer.StringValue("ok");
        Assert.False(writer.Failed);
        Assert.Equal(4, writer.Length);
    }

    [Fact]
    public void A_key_writes_the_same_member_as_its_name_and_fails_cleanly_when_it_does_not_fit()
    {
        byte[] key = JsonWriter.Key("setpointW");
        Assert.Equal(
            Write(w => { w.BeginObject(); w.WriteInteger("setpointW", -3000); w.WriteString("id", "d"); w.EndObject(); }),
            Write(w => { w.BeginObject(); w.WriteInteger(key, -3000); w.WriteString(JsonWriter.Key("id"), "d"); w.EndObject(); }));

        var writer = new JsonWriter();
        var buffer = new byte[12];
        writer.Reset(buffer, 0, 11);
        writer.BeginObject();
        writer.Name(key);
        Assert.True(writer.Failed);
        Assert.Equal(0, buffer[11]);
    }

    [Theory]
    [InlineData("a\"b")]
    [InlineData("back\\slash")]
    [InlineData("tab\t")]
    [InlineData("caf\u00e9")]
    public void A_key_is_plain_ascii_needing_no_escape(string name)
    {
        Assert.Throws<ArgumentException>(() => JsonWriter.Key(name));
    }

    private static string Write(Action<JsonWriter> write)
    {
        var writer = new JsonWriter();
        var buffer = new byte[1024];
        writer.Reset(buffer);
        write(writer);
        Assert.False(writer.Failed);
        return StrictUtf8.GetString(buffer, 0, writer.Length);
    }

    /// <summary>Random UTF-16: ASCII (controls included), BMP, surrogate pairs and lone surrogates.</summary>
    public static string RandomUtf16(Random rng, int length)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < length; i++)
        {
            switch (rng.Next(6))
            {
                case 0:
                    sb.Append((char)rng.Next(0, 0x20));
                    break;
                case 1:
                case 2:
                    sb.Append((char)rng.Next(0x20, 0x80));
                    break;
                case 3:
                    sb.Append((char)rng.Next(0x80, 0xD800));
                    break;
                case 4:
                    sb.Append(char.ConvertFromUtf32(rng.Next(0x10000, 0x110000)));
                    break;
                default:
                    sb.Append((char)rng.Next(0xD800, 0xE000));
                    break;
            }
        }

        return sb.ToString();
    }

    /// <summary><paramref name="text"/> with every unpaired surrogate replaced by <paramref name="replacement"/>.</summary>
    public static string ReplaceLoneSurrogates(string text, string replacement)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                sb.Append(text, i++, 2);
            }
            else if (char.IsSurrogate(text[i]))
            {
                sb.Append(replacement);
            }
            else
            {
                sb.Append(text[i]);
            }
        }

        return sb.ToString();
    }
}
