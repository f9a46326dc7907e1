using System.IO.Compression;

namespace ChargerFirmware.VirtualHardware.Panel;

/// <summary>
/// RGB565 screens as PNG files (8-bit RGB, no filter, zlib through <see cref="ZLibStream"/>: no image
/// package), and back, for pictures of the panel and the golden-image tests.
/// </summary>
public static class PngImage
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>The PNG of a <paramref name="width"/> x <paramref name="height"/> RGB565 screen (high byte first).</summary>
    public static byte[] FromRgb565(byte[] rgb565, int width, int height)
    {
        var raw = new byte[height * (1 + (width * 3))];
        int at = 0;
        for (int y = 0; y < height; y++)
        {
            raw[at++] = 0; // filter: none
            for (int x = 0; x < width; x++)
            {
                int p = ((y * width) + x) * 2;
                int value = (rgb565[p] << 8) | rgb565[p + 1];
                int r = (value >> 11) & 0x1F;
                int g = (value >> 5) & 0x3F;
                int b = value & 0x1F;
                raw[at++] = (byte)((r << 3) | (r >> 2));
                raw[at++] = (byte)((g << 2) | (g >> 4));
                raw[at++] = (byte)((b << 3) | (b >> 2));
            }
        }

        using var output = new MemoryStream();
        output.Write(Signature);
        var header = new byte[13];
        WriteBigEndian(header, 0, (uint)width);
        WriteBigEndian(header, 4, (uint)height);
        header[8] = 8; // bits per channel
        header[9] = 2; // truecolour RGB
        Chunk(output, "IHDR", header);
        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                zlib.Write(raw);
            }

            Chunk(output, "IDAT", compressed.ToArray());
        }

        Chunk(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary>
    /// The RGB bytes (3 per pixel, row by row) of a PNG written by <see cref="FromRgb565"/> (8-bit
    /// RGB, not interlaced, filter "none" on every row); throws <see cref="InvalidDataException"/> otherwise.
    /// </summary>
    public static byte[] ReadRgb(byte[] png, out int width, out int height)
    {
        if (png.Length < 8 || !png.AsSpan(0, 8).SequenceEqual(Signature))
        {
            throw new InvalidDataException("not a PNG");
        }

        width = 0;
        height = 0;
        using var idat = new MemoryStream();
        int at = 8;
        while (at + 8 <= png.Length)
        {
            int length = (int)ReadBigEndian(png, at);
            string type = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
            if (type == "IHDR")
            {
                width = (int)ReadBigEndian(png, at + 8);
                height = (int)ReadBigEndian(png, at + 12);
                if (png[at + 16] != 8 || png[at + 17] != 2 || png[at + 20] != 0)
                {
                    throw new InvalidDataException("only 8-bit RGB, not interlaced");
                }
            }
            else if (type == "IDAT")
            {
                idat.Write(png, at + 8, length);
            }

            at += 12 + length;
        }

        idat.Position = 0;
        using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        zlib.CopyTo(raw);
        byte[] rows = raw.ToArray();
        int stride = 1 + (width * 3);
        if (rows.Length != height * stride)
        {
            throw new InvalidDataException("image data of the wrong size");
        }

        var rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            if (rows[y * stride] != 0)
            {
                throw new InvalidDataException("only filter 'none' is read");
            }

            Array.Copy(rows, (y * stride) + 1, rgb, y * width * 3, width * 3);
        }

        return rgb;
    }

    private static void Chunk(Stream output, string type, byte[] data)
    {
        var head = new byte[8];
        WriteBigEndian(head, 0, (uint)data.Length);
        for (int i = 0; i < 4; i++)
        {
            head[4 + i] = (byte)type[i];
        }

        output.Write(head);
        output.Write(data);
        uint crc = Crc(Crc(0xFFFFFFFF, head, 4, 4), data, 0, data.Length) ^ 0xFFFFFFFF;
        var tail = new byte[4];
        WriteBigEndian(tail, 0, crc);
        output.Write(tail);
    }

    private static uint Crc(uint crc, byte[] data, int offset, int count)
    {
        for (int i = offset; i < offset + count; i++)
        {
            crc = CrcTable[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }

    private static void WriteBigEndian(byte[] buffer, int at, uint value)
    {
        buffer[at] = (byte)(value >> 24);
        buffer[at + 1] = (byte)(value >> 16);
        buffer[at + 2] = (byte)(value >> 8);
        buffer[at + 3] = (byte)value;
    }

    private static uint ReadBigEndian(byte[] buffer, int at) =>
        ((uint)buffer[at] << 24) | ((uint)buffer[at + 1] << 16) | ((uint)buffer[at + 2] << 8) | buffer[at + 3];
}
