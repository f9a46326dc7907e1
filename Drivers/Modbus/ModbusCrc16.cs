namespace ChargerFirmware.Drivers.Modbus
{
    /// <summary>
    /// The Modbus RTU CRC-16: reflected polynomial 0xA001, initial value 0xFFFF, no final xor; the
    /// frame carries it low byte first.
    /// </summary>
    public static class ModbusCrc16
    {
        private static readonly ushort[] _table = BuildTable();

        /// <summary>CRC of <paramref name="count"/> bytes of <paramref name="data"/> from <paramref name="offset"/>.</summary>
        public static ushort Compute(byte[] data, int offset, int count)
        {
            int crc = 0xFFFF;
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                crc = _table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
            }

            return (ushort)crc;
        }

        /// <summary>Appends the CRC of the first <paramref name="length"/> bytes; returns the new length.</summary>
        public static int Append(byte[] frame, int length)
        {
            ushort crc = Compute(frame, 0, length);
            frame[length] = (byte)crc;
            frame[length + 1] = (byte)(crc >> 8);
            return length + 2;
        }

        /// <summary>True when the last two of <paramref name="length"/> bytes are the CRC of the bytes before them.</summary>
        public static bool Check(byte[] frame, int length)
        {
            if (length < 3)
            {
                return false;
            }

            ushort crc = Compute(frame, 0, length - 2);
            return frame[length - 2] == (byte)crc && frame[length - 1] == (byte)(crc >> 8);
        }

        private static ushort[] BuildTable()
        {
            ushort[] table = new ushort[256];
            for (int n = 0; n < 256; n++)
            {
                int c = n;
                for (int k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xA001 ^ (c >> 1) : c >> 1;
                }

                table[n] = (ushort)c;
            }

            return table;
        }
    }
}
