using ChargerFirmware.Drivers.Modbus;
using Xunit;

namespace ChargerFirmware.Tests.Modbus;

public class ModbusRtuTests
{
    private readonly byte[] _read = new byte[8];
    private readonly byte[] _single = new byte[8];
    private readonly byte[] _multiple = new byte[ModbusRtu.MaxFrameLength];

    public ModbusRtuTests()
    {
        ModbusRtu.BuildReadHoldingRegisters(_read, 1, 0x9C40, 2);
        ModbusRtu.BuildWriteSingleRegister(_single, 1, 0x0001, 0x0003);
        ModbusRtu.BuildWriteMultipleRegisters(_multiple, 1, 0x9C8C, [0x0102, 0xFFFE], 2);
    }

    [Fact]
    public void Requests_are_laid_out_per_the_specification()
    {
        Assert.Equal(Hex.Frame("01 03 9C 40 00 02"), _read);
        Assert.Equal(Hex.Frame("01 06 00 01 00 03"), _single);
        int length = ModbusRtu.BuildWriteMultipleRegisters(_multiple, 1, 0x9C8C, [0x0102, 0xFFFE], 2);
        Assert.Equal(13, length);
        Assert.Equal(Hex.Frame("01 10 9C 8C 00 02 04 01 02 FF FE"), _multiple[..length]);
    }

    [Fact]
    public void A_valid_read_response_passes_and_yields_its_registers()
    {
        byte[] response = Hex.Frame("01 03 04 53 75 6E 53");
        Assert.Equal(ModbusError.None, ModbusRtu.CheckResponse(_read, response, response.Length));
        var registers = new ushort[2];
        ModbusRtu.CopyRegisters(response, registers, 2);
        Assert.Equal(new ushort[] { 0x5375, 0x6E53 }, registers);
    }

    [Fact]
    public void Valid_write_responses_echo_the_request()
    {
        Assert.Equal(ModbusError.None, ModbusRtu.CheckResponse(_single, _single, 8));
        byte[] echo = Hex.Frame("01 10 9C 8C 00 02");
        Assert.Equal(ModbusError.None, ModbusRtu.CheckResponse(_multiple, echo, echo.Length));
    }

    [Theory]
    [InlineData("01 83 02", ModbusError.Exception)]
    [InlineData("02 03 04 53 75 6E 53", ModbusError.WrongAddress)]
    [InlineData("01 04 04 53 75 6E 53", ModbusError.WrongFunction)]
    [InlineData("01 03 02 53 75", ModbusError.BadByteCount)]
    [InlineData("01 03 04 53 75 6E 53 00", ModbusError.LongFrame)]
    [InlineData("01 83 02 00", ModbusError.LongFrame)]
    public void Each_defect_of_a_read_response_is_named(string body, int expected)
    {
        byte[] response = Hex.Frame(body);
        Assert.Equal(expected, ModbusRtu.CheckResponse(_read, response, response.Length));
    }

    [Fact]
    public void A_bad_crc_is_found_before_anything_else()
    {
        byte[] response = Hex.Frame("02 03 04 53 75 6E 53");
        response[^1] ^= 0x01;
        Assert.Equal(ModbusError.BadCrc, ModbusRtu.CheckResponse(_read, response, response.Length));
    }

    [Fact]
    public void Short_and_empty_frames_are_named()
    {
        byte[] response = Hex.Frame("01 03 04 53 75 6E 53");
        Assert.Equal(ModbusError.NoResponse, ModbusRtu.CheckResponse(_read, response, 0));
        Assert.Equal(ModbusError.ShortFrame, ModbusRtu.CheckResponse(_read, response, 4));
    }

    [Fact]
    public void A_write_response_with_another_value_is_a_bad_echo()
    {
        byte[] wrongValue = Hex.Frame("01 06 00 01 00 04");
        Assert.Equal(ModbusError.BadEcho, ModbusRtu.CheckResponse(_single, wrongValue, wrongValue.Length));
        byte[] wrongCount = Hex.Frame("01 10 9C 8C 00 03");
        Assert.Equal(ModbusError.BadEcho, ModbusRtu.CheckResponse(_multiple, wrongCount, wrongCount.Length));
    }

    [Fact]
    public void Expected_length_is_known_from_the_first_bytes()
    {
        byte[] response = Hex.Frame("01 03 04 53 75 6E 53");
        Assert.Equal(0, ModbusRtu.ExpectedResponseLength(_read, response, 1));
        Assert.Equal(0, ModbusRtu.ExpectedResponseLength(_read, response, 2));
        Assert.Equal(9, ModbusRtu.ExpectedResponseLength(_read, response, 3));
        Assert.Equal(5, ModbusRtu.ExpectedResponseLength(_read, Hex.Frame("01 83 02"), 2));
        Assert.Equal(8, ModbusRtu.ExpectedResponseLength(_single, _single, 2));
        Assert.Equal(-1, ModbusRtu.ExpectedResponseLength(_read, Hex.Frame("01 04 00"), 3));
        Assert.Equal(9, ModbusRtu.NormalResponseLength(_read));
        Assert.Equal(8, ModbusRtu.NormalResponseLength(_multiple));
    }

    [Fact]
    public void Transactions_refuse_requests_that_cannot_be_framed()
    {
        var t = new ModbusTransaction(10);
        Assert.Throws<ArgumentOutOfRangeException>(() => t.ReadHoldingRegisters(0, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => t.ReadHoldingRegisters(248, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => t.ReadHoldingRegisters(1, 0, 11));
        Assert.Throws<ArgumentOutOfRangeException>(() => t.ReadHoldingRegisters(1, 0xFFFF, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ModbusTransaction(126));
    }
}
