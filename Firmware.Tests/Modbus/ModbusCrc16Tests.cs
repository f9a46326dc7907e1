using ChargerFirmware.Drivers.Modbus;
using Xunit;

namespace ChargerFirmware.Tests.Modbus;

public class ModbusCrc16Tests
{
    [Theory]
    [InlineData("01 03 00 00 00 0A", "C5 CD")]
    [InlineData("01 03 00 00 00 01", "84 0A")]
    [InlineData("11 03 00 6B 00 03", "76 87")]
    [InlineData("01 06 00 01 00 03", "98 0B")]
    public void Known_frames_get_their_published_crc_low_byte_first(string frame, string crc)
    {
        byte[] bytes = Hex.Bytes(frame);
        byte[] withCrc = new byte[bytes.Length + 2];
        bytes.CopyTo(withCrc, 0);

        int length = ModbusCrc16.Append(withCrc, bytes.Length);

        Assert.Equal(bytes.Length + 2, length);
        Assert.Equal(Hex.Bytes(crc), withCrc[^2..]);
        Assert.True(ModbusCrc16.Check(withCrc, length));
    }

    [Fact]
    public void Check_value_of_the_catalogue_matches()
    {
        byte[] text = "123456789"u8.ToArray();
        Assert.Equal(0x4B37, ModbusCrc16.Compute(text, 0, text.Length));
    }

    [Fact]
    public void Any_single_bit_flip_is_caught()
    {
        byte[] frame = Hex.Bytes("01 03 14 00 01 00 02 00 03 00 04 00 05 00 06 00 07 00 08 00 09 00 0A 00 00");
        int length = ModbusCrc16.Append(frame, frame.Length - 2);
        for (int bit = 0; bit < length * 8; bit++)
        {
            frame[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(ModbusCrc16.Check(frame, length));
            frame[bit / 8] ^= (byte)(1 << (bit % 8));
        }

        Assert.True(ModbusCrc16.Check(frame, length));
    }

    [Fact]
    public void Frames_too_short_to_hold_a_crc_fail()
    {
        Assert.False(ModbusCrc16.Check([0xFF, 0xFF], 2));
    }
}

internal static class Hex
{
    public static byte[] Bytes(string hex) =>
        hex.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(h => Convert.ToByte(h, 16)).ToArray();

    public static byte[] Frame(string hexWithoutCrc)
    {
        byte[] body = Bytes(hexWithoutCrc);
        byte[] frame = new byte[body.Length + 2];
        body.CopyTo(frame, 0);
        ModbusCrc16.Append(frame, body.Length);
        return frame;
    }
}
