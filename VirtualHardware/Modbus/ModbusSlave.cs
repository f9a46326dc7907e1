using ChargerFirmware.Drivers.Modbus;

namespace ChargerFirmware.VirtualHardware;

/// <summary>A device on the <see cref="VirtualBus"/> that answers RTU frames.</summary>
public interface IModbusSlave
{
    /// <summary>
    /// Takes one complete request frame; writes the response frame into <paramref name="response"/>
    /// and returns its length, or 0 to stay silent (not addressed, corrupt, or not answering).
    /// </summary>
    int Handle(byte[] request, int length, byte[] response);
}

/// <summary>
/// A register-bank slave: checks the frame like a real device (a bad CRC or another address gets
/// no answer), serves functions 3, 6 and 16 over <see cref="Bank"/>, and answers exceptions for
/// unknown functions (1), unmapped or read-only addresses (2) and bad counts or values (3).
/// Allocation-free per request.
/// </summary>
public abstract class ModbusSlave : IModbusSlave
{
    private readonly ushort[] _values = new ushort[ModbusRtu.MaxReadCount];

    /// <summary>Creates a slave at <paramref name="unitId"/> whose registers start at <paramref name="firstAddress"/>.</summary>
    protected ModbusSlave(int unitId, int firstAddress, int registerCount)
    {
        UnitId = unitId;
        FirstAddress = firstAddress;
        Bank = new ushort[registerCount];
    }

    /// <summary>The unit address it answers.</summary>
    public int UnitId { get; }

    /// <summary>Address of <see cref="Bank"/>[0].</summary>
    public int FirstAddress { get; }

    /// <summary>Requests answered (exceptions included).</summary>
    public int Answered { get; private set; }

    /// <summary>The registers.</summary>
    protected ushort[] Bank { get; }

    /// <summary>False while the device does not answer at all.</summary>
    protected virtual bool Answering => true;

    /// <inheritdoc />
    public int Handle(byte[] request, int length, byte[] response)
    {
        if (length < 4 || request[0] != UnitId || !ModbusCrc16.Check(request, length) || !Answering)
        {
            return 0;
        }

        Refresh();
        int function = request[1];
        int code = function switch
        {
            ModbusFunction.ReadHoldingRegisters when length == 8 => ReadHolding(request, response),
            ModbusFunction.WriteSingleRegister when length == 8 => WriteSingle(request),
            ModbusFunction.WriteMultipleRegisters when length >= 9 => WriteMultiple(request, length),
            ModbusFunction.ReadHoldingRegisters or ModbusFunction.WriteSingleRegister or ModbusFunction.WriteMultipleRegisters => ModbusExceptionCode.IllegalDataValue,
            _ => ModbusExceptionCode.IllegalFunction,
        };

        Answered++;
        response[0] = (byte)UnitId;
        if (code != 0)
        {
            response[1] = (byte)(function | ModbusFunction.ExceptionFlag);
            response[2] = (byte)code;
            return ModbusCrc16.Append(response, 3);
        }

        if (function == ModbusFunction.ReadHoldingRegisters)
        {
            response[1] = (byte)function;
            return ModbusCrc16.Append(response, 3 + response[2]);
        }

        Array.Copy(request, 1, response, 1, 5);
        return ModbusCrc16.Append(response, 6);
    }

    /// <summary>Stores a 32-bit value at bank index <paramref name="index"/>, high word first.</summary>
    protected void PutUInt32(int index, long value)
    {
        Bank[index] = (ushort)(value >> 16);
        Bank[index + 1] = (ushort)value;
    }

    /// <summary>Stores a 64-bit value at bank index <paramref name="index"/>, high word first.</summary>
    protected void PutUInt64(int index, long value)
    {
        PutUInt32(index, value >> 32);
        PutUInt32(index + 2, value);
    }

    /// <summary>Brings mirrored registers up to date before a request is served.</summary>
    protected abstract void Refresh();

    /// <summary>
    /// Validates and applies a write of <paramref name="count"/> values to <paramref name="address"/>
    /// (already known to lie in the bank); returns 0 or an exception code. Validate all, then apply.
    /// </summary>
    protected abstract int Write(int address, ushort[] values, int count);

    private int ReadHolding(byte[] request, byte[] response)
    {
        int address = ModbusRtu.Word(request, 2);
        int count = ModbusRtu.Word(request, 4);
        if (count is < 1 or > ModbusRtu.MaxReadCount)
        {
            return ModbusExceptionCode.IllegalDataValue;
        }

        if (!InBank(address, count))
        {
            return ModbusExceptionCode.IllegalDataAddress;
        }

        response[2] = (byte)(count * 2);
        int at = 3;
        for (int i = 0; i < count; i++)
        {
            ushort value = Bank[address - FirstAddress + i];
            response[at++] = (byte)(value >> 8);
            response[at++] = (byte)value;
        }

        return 0;
    }

    private int WriteSingle(byte[] request)
    {
        int address = ModbusRtu.Word(request, 2);
        _values[0] = (ushort)ModbusRtu.Word(request, 4);
        return InBank(address, 1) ? Write(address, _values, 1) : ModbusExceptionCode.IllegalDataAddress;
    }

    private int WriteMultiple(byte[] request, int length)
    {
        int address = ModbusRtu.Word(request, 2);
        int count = ModbusRtu.Word(request, 4);
        if (count is < 1 or > ModbusRtu.MaxWriteCount || request[6] != count * 2 || length != 9 + (count * 2))
        {
            return ModbusExceptionCode.IllegalDataValue;
        }

        if (!InBank(address, count))
        {
            return ModbusExceptionCode.IllegalDataAddress;
        }

        for (int i = 0; i < count; i++)
        {
            _values[i] = (ushort)ModbusRtu.Word(request, 7 + (2 * i));
        }

        return Write(address, _values, count);
    }

    private bool InBank(int address, int count) => address >= FirstAddress && address + count <= FirstAddress + Bank.Length;
}
