namespace ChargerFirmware.Drivers.SunSpec
{
    /// <summary>
    /// Decoding SunSpec points: "not implemented" sentinels, scale factors (value x 10^SF),
    /// multi-register integers (high word first) and strings (two ASCII characters per register).
    /// </summary>
    public static class SunSpecValue
    {
        /// <summary>uint16, enum16 and bitfield16 "not implemented".</summary>
        public const int NotImplementedUInt16 = 0xFFFF;

        /// <summary>int16 and sunssf "not implemented" (0x8000 on the wire).</summary>
        public const int NotImplementedInt16 = -32768;

        /// <summary>uint32 and bitfield32 "not implemented".</summary>
        public const long NotImplementedUInt32 = 0xFFFFFFFFL;

        /// <summary>Accumulators (acc32, acc64) use 0 for "not implemented".</summary>
        public const long NotImplementedAccumulator = 0;

        /// <summary>Returned by the decoders for a value that is not implemented or out of range.</summary>
        public const long Missing = long.MinValue;

        /// <summary>Smallest scale factor accepted (SunSpec allows -10..10).</summary>
        public const int MinScaleFactor = -10;

        /// <summary>Largest scale factor accepted.</summary>
        public const int MaxScaleFactor = 10;

        private static readonly long[] _powersOfTen = BuildPowers();

        /// <summary>The register as a signed int16.</summary>
        public static int Int16(ushort raw)
        {
            return (short)raw;
        }

        /// <summary>A uint16 point, or <see cref="Missing"/>.</summary>
        public static long UInt16(ushort raw)
        {
            return raw == NotImplementedUInt16 ? Missing : raw;
        }

        /// <summary>An int16 point, or <see cref="Missing"/>.</summary>
        public static long SignedInt16(ushort raw)
        {
            return raw == 0x8000 ? Missing : (short)raw;
        }

        /// <summary>A uint32 or bitfield32 point (two registers, high word first), or <see cref="Missing"/>.</summary>
        public static long UInt32(ushort[] registers, int index)
        {
            long value = ((long)registers[index] << 16) | registers[index + 1];
            return value == NotImplementedUInt32 ? Missing : value;
        }

        /// <summary>
        /// A uint64 point (four registers, high word first), or <see cref="Missing"/> when not
        /// implemented (all ones) or beyond what a long holds.
        /// </summary>
        public static long UInt64(ushort[] registers, int index)
        {
            if (registers[index] >= 0x8000)
            {
                return Missing;
            }

            return ((long)registers[index] << 48) | ((long)registers[index + 1] << 32)
                | ((long)registers[index + 2] << 16) | registers[index + 3];
        }

        /// <summary>A scale factor, or <see cref="Missing"/> when not implemented or outside -10..10.</summary>
        public static long ScaleFactor(ushort raw)
        {
            int sf = (short)raw;
            return sf < MinScaleFactor || sf > MaxScaleFactor ? Missing : sf;
        }

        /// <summary>
        /// <paramref name="value"/> x 10^<paramref name="exponent"/>, rounded half away from zero;
        /// <see cref="Missing"/> in gives <see cref="Missing"/> out, and so does a result beyond a long.
        /// </summary>
        public static long Scale(long value, long exponent)
        {
            if (value == Missing || exponent == Missing || exponent < -18 || exponent > 18)
            {
                return Missing;
            }

            if (exponent >= 0)
            {
                long factor = _powersOfTen[exponent];
                long limit = long.MaxValue / factor;
                return value > limit || value < -limit ? Missing : value * factor;
            }

            long divisor = _powersOfTen[-exponent];
            long half = divisor / 2;
            return value >= 0 ? (value + half) / divisor : -((-value + half) / divisor);
        }

        /// <summary>
        /// <paramref name="value"/> x 10^<paramref name="exponent"/>, rounded toward zero: for limits
        /// and setpoints, which must never come out larger than the device said or than asked.
        /// <see cref="Missing"/> as <see cref="Scale"/>.
        /// </summary>
        public static long ScaleTowardZero(long value, long exponent)
        {
            if (value == Missing || exponent == Missing || exponent < -18 || exponent >= 0)
            {
                return Scale(value, exponent);
            }

            return value / _powersOfTen[-exponent];
        }

        /// <summary>10^<paramref name="exponent"/> for 0..18.</summary>
        public static long PowerOfTen(int exponent)
        {
            return _powersOfTen[exponent];
        }

        /// <summary>
        /// A string point of <paramref name="registerCount"/> registers: ASCII, NUL-padded; trailing
        /// spaces trimmed; null when not implemented (all NUL). Allocates: read strings once, at start.
        /// </summary>
        public static string? String(ushort[] registers, int index, int registerCount)
        {
            char[] chars = new char[registerCount * 2];
            int length = 0;
            for (int i = 0; i < registerCount; i++)
            {
                int word = registers[index + i];
                if (!Append(chars, ref length, word >> 8) || !Append(chars, ref length, word & 0xFF))
                {
                    break;
                }
            }

            while (length > 0 && chars[length - 1] == ' ')
            {
                length--;
            }

            return length == 0 ? null : new string(chars, 0, length);
        }

        private static bool Append(char[] chars, ref int length, int code)
        {
            if (code == 0)
            {
                return false;
            }

            chars[length++] = code < 0x20 || code > 0x7E ? '?' : (char)code;
            return true;
        }

        private static long[] BuildPowers()
        {
            long[] powers = new long[19];
            powers[0] = 1;
            for (int i = 1; i < powers.Length; i++)
            {
                powers[i] = powers[i - 1] * 10;
            }

            return powers;
        }
    }
}
