using ChargerFirmware.Persistence;

namespace ChargerFirmware.Conditions
{
    /// <summary>
    /// One set of conditions as bytes, for the files that keep them (custom presets, remembered
    /// vehicles): name length (1) and ASCII name, min sell (4), max buy (4), kept SOC (2), delegated
    /// (1), settlement (1), window count (1) and per window: day mask (1), start (2), end (2).
    /// Little-endian. Reading checks every field, so a file that passed its CRC but holds nonsense
    /// is refused rather than half applied.
    /// </summary>
    internal static class ConditionsCodec
    {
        private const int FixedLength = 14;
        private const int WindowLength = 5;

        /// <summary>Bytes <paramref name="c"/> takes.</summary>
        internal static int Length(ChargingConditions c)
        {
            return FixedLength + c.Name.Length + (WindowLength * c.Windows.Count);
        }

        /// <summary>Writes <paramref name="c"/> at <paramref name="at"/>; returns the offset after it.</summary>
        internal static int Write(ChargingConditions c, byte[] buffer, int at)
        {
            buffer[at++] = (byte)c.Name.Length;
            for (int i = 0; i < c.Name.Length; i++)
            {
                buffer[at++] = (byte)c.Name[i];
            }

            CheckedFile.WriteUInt32(buffer, at, (uint)c.MinSellPriceMilli);
            CheckedFile.WriteUInt32(buffer, at + 4, (uint)c.MaxBuyPriceMilli);
            at += 8;
            at = WriteUInt16(buffer, at, c.KeptSocPermille);
            buffer[at++] = (byte)(c.Delegated ? 1 : 0);
            buffer[at++] = (byte)c.Settlement;
            buffer[at++] = (byte)c.Windows.Count;
            for (int w = 0; w < c.Windows.Count; w++)
            {
                buffer[at++] = (byte)c.Windows.DayMask(w);
                at = WriteUInt16(buffer, at, c.Windows.StartMinute(w));
                at = WriteUInt16(buffer, at, c.Windows.EndMinute(w));
            }

            return at;
        }

        /// <summary>Reads conditions at <paramref name="at"/> into <paramref name="into"/>; returns the offset after them, or -1 when they are cut short or invalid.</summary>
        internal static int Read(byte[] buffer, int at, ChargingConditions into)
        {
            if (at >= buffer.Length)
            {
                return -1;
            }

            int nameLength = buffer[at++];
            if (at + nameLength + FixedLength - 1 > buffer.Length)
            {
                return -1;
            }

            char[] name = new char[nameLength];
            for (int i = 0; i < nameLength; i++)
            {
                name[i] = (char)buffer[at++];
            }

            into.Name = new string(name);
            into.MinSellPriceMilli = (int)CheckedFile.ReadUInt32(buffer, at);
            into.MaxBuyPriceMilli = (int)CheckedFile.ReadUInt32(buffer, at + 4);
            into.KeptSocPermille = buffer[at + 8] | (buffer[at + 9] << 8);
            int delegated = buffer[at + 10];
            into.Delegated = delegated == 1;
            into.Settlement = buffer[at + 11];
            int windowCount = buffer[at + 12];
            at += 13;
            if (delegated > 1 || windowCount > TimeWindows.Capacity || at + (WindowLength * windowCount) > buffer.Length)
            {
                return -1;
            }

            into.Windows.Clear();
            for (int w = 0; w < windowCount; w++)
            {
                if (!into.Windows.Add(buffer[at], buffer[at + 1] | (buffer[at + 2] << 8), buffer[at + 3] | (buffer[at + 4] << 8)))
                {
                    return -1;
                }

                at += WindowLength;
            }

            return into.Validate() == ConditionErrors.None ? at : -1;
        }

        private static int WriteUInt16(byte[] buffer, int at, int value)
        {
            buffer[at] = (byte)value;
            buffer[at + 1] = (byte)(value >> 8);
            return at + 2;
        }
    }
}
