using System.Text;

namespace ChargerFirmware.Tests.Interop;

/// <summary>A block of holding registers from <see cref="Start"/>, what a slave serves.</summary>
internal sealed class RegisterImage(int start, int count)
{
    public int Start { get; } = start;

    public ushort[] Registers { get; } = new ushort[count];

    public ushort this[int address]
    {
        get => Registers[address - Start];
        set => Registers[address - Start] = value;
    }

    /// <summary>Two ASCII characters per register, NUL-padded, from <paramref name="address"/>.</summary>
    public void PutString(int address, int registers, string text)
    {
        for (int i = 0; i < registers * 2; i++)
        {
            int c = i < text.Length ? text[i] : 0;
            int at = address + (i / 2);
            this[at] = (ushort)(i % 2 == 0 ? c << 8 : this[at] | c);
        }
    }

    public void PutUInt32(int address, uint value)
    {
        this[address] = (ushort)(value >> 16);
        this[address + 1] = (ushort)value;
    }

    /// <summary>The map file rtu_slave reads: "START COUNT" and the values.</summary>
    public string ToMapFile()
    {
        var text = new StringBuilder().Append(Start).Append(' ').Append(Registers.Length).AppendLine();
        text.AppendLine(string.Join(' ', Registers));
        return text.ToString();
    }
}
