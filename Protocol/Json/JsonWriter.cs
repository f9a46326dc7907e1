namespace ChargerFirmware.Protocol.Json
{
    /// <summary>
    /// Writes compact UTF-8 JSON straight into a caller's byte array, without allocating: strings are
    /// encoded and escaped by hand, numbers are written digit by digit, decimals come from scaled
    /// integers (milli-units) and times from Unix milliseconds. It places commas and colons itself;
    /// the caller supplies a well-formed sequence of calls. When the buffer is too small, nesting is
    /// deeper than <see cref="MaxDepth"/> or a time cannot be written, <see cref="Failed"/> turns true
    /// and the output must be discarded.
    /// </summary>
    public sealed class JsonWriter
    {
        /// <summary>Deepest nesting of objects and arrays the writer accepts.</summary>
        public const int MaxDepth = 8;

        private static readonly byte[] NoBuffer = new byte[0];

        private readonly bool[] _hasItems = new bool[MaxDepth + 1];
        private byte[] _buffer = NoBuffer;
        private int _start;
        private int _position;
        private int _end;
        private int _depth;
        private bool _afterName;
        private bool _failed;

        /// <summary>Bytes written since the last <see cref="Reset(byte[])"/>.</summary>
        public int Length
        {
            get { return _position - _start; }
        }

        /// <summary>True when something could not be written; the output is then incomplete.</summary>
        public bool Failed
        {
            get { return _failed; }
        }

        /// <summary>Starts a new document at the beginning of <paramref name="buffer"/>.</summary>
        public void Reset(byte[] buffer)
        {
            Reset(buffer, 0, buffer.Length);
        }

        /// <summary>Starts a new document in <paramref name="buffer"/>[<paramref name="offset"/>, +<paramref name="count"/>).</summary>
        public void Reset(byte[] buffer, int offset, int count)
        {
            _buffer = buffer;
            _start = offset;
            _position = offset;
            _end = offset + count;
            _depth = 0;
            _hasItems[0] = false;
            _afterName = false;
            _failed = offset < 0 || count < 0 || _end > buffer.Length;
        }

        /// <summary>Writes <c>{</c>.</summary>
        public void BeginObject()
        {
            BeforeValue();
            Open((byte)'{');
        }

        /// <summary>Writes <c>}</c>.</summary>
        public void EndObject()
        {
            Close((byte)'}');
        }

        /// <summary>Writes <c>[</c>.</summary>
        public void BeginArray()
        {
            BeforeValue();
            Open((byte)'[');
        }

        /// <summary>Writes <c>]</c>.</summary>
        public void EndArray()
        {
            Close((byte)']');
        }

        /// <summary>Writes a member name and its colon; a value call must follow.</summary>
        public void Name(string name)
        {
            BeforeValue();
            PutString(name);
            Put((byte)':');
            _afterName = true;
        }

        /// <summary>
        /// A member name as the writer puts it: its bytes, ready for the overloads that take a key. Made
        /// once (in a type initialiser), a key makes writing the name allocation-free on nanoFramework,
        /// where every load of a string literal allocates a new string, and copies bytes instead of
        /// reading a string character by character. Names are plain ASCII that needs no escape.
        /// </summary>
        public static byte[] Key(string name)
        {
            byte[] key = new byte[name.Length];
            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                if (c < ' ' || c > '~' || c == '"' || c == '\\')
                {
                    throw new System.ArgumentException("a key is plain ASCII without quotes or backslashes", nameof(name));
                }

                key[i] = (byte)c;
            }

            return key;
        }

        /// <summary>Writes a member name given as a <see cref="Key(string)"/> and its colon; a value call must follow.</summary>
        public void Name(byte[] key)
        {
            BeforeValue();
            int length = key.Length;
            if (_end - _position < length + 3)
            {
                _failed = true;
                _position = _end;
                return;
            }

            byte[] buffer = _buffer;
            int position = _position;
            buffer[position++] = (byte)'"';
            for (int i = 0; i < length; i++)
            {
                buffer[position++] = key[i];
            }

            buffer[position++] = (byte)'"';
            buffer[position++] = (byte)':';
            _position = position;
            _afterName = true;
        }

        /// <summary>Writes a string value, or <c>null</c> when <paramref name="value"/> is null.</summary>
        public void StringValue(string? value)
        {
            if (value == null)
            {
                NullValue();
                return;
            }

            BeforeValue();
            PutString(value);
        }

        /// <summary>Writes an integer.</summary>
        public void IntegerValue(long value)
        {
            BeforeValue();
            PutDecimal(value, 0);
        }

        /// <summary>
        /// Writes <paramref name="scaled"/> / 10^<paramref name="decimals"/> as a plain decimal with
        /// trailing fraction zeros dropped: (25500, 3) gives 25.5, (-125, 3) gives -0.125, (7000, 3) gives 7.
        /// </summary>
        public void DecimalValue(long scaled, int decimals)
        {
            BeforeValue();
            PutDecimal(scaled, decimals);
        }

        /// <summary>Writes <c>true</c> or <c>false</c>.</summary>
        public void BoolValue(bool value)
        {
            BeforeValue();
            if (value)
            {
                Put((byte)'t');
                Put((byte)'r');
                Put((byte)'u');
            }
            else
            {
                Put((byte)'f');
                Put((byte)'a');
                Put((byte)'l');
                Put((byte)'s');
            }

            Put((byte)'e');
        }

        /// <summary>Writes <c>null</c>.</summary>
        public void NullValue()
        {
            BeforeValue();
            Put((byte)'n');
            Put((byte)'u');
            Put((byte)'l');
            Put((byte)'l');
        }

        /// <summary>Writes an RFC 3339 UTC string ("2027-01-01T00:00:00Z", with ".fff" when the milliseconds are not zero).</summary>
        public void TimeValue(long unixMs)
        {
            BeforeValue();
            Put((byte)'"');
            int written = _failed ? -1 : Rfc3339.Format(unixMs, _buffer, _position, _end);
            if (written < 0)
            {
                _failed = true;
                return;
            }

            _position += written;
            Put((byte)'"');
        }

        /// <summary>Writes a time of day as "HH:MM" from minutes of the day (1440 as "24:00").</summary>
        public void ClockValue(int minuteOfDay)
        {
            BeforeValue();
            int hours = minuteOfDay / 60;
            int minutes = minuteOfDay % 60;
            Put((byte)'"');
            Put((byte)('0' + (hours / 10)));
            Put((byte)('0' + (hours % 10)));
            Put((byte)':');
            Put((byte)('0' + (minutes / 10)));
            Put((byte)('0' + (minutes % 10)));
            Put((byte)'"');
        }

        /// <summary>Writes a member holding a string, or null.</summary>
        public void WriteString(string name, string? value)
        {
            Name(name);
            StringValue(value);
        }

        /// <summary>Writes a member holding an integer.</summary>
        public void WriteInteger(string name, long value)
        {
            Name(name);
            IntegerValue(value);
        }

        /// <summary>Writes a member holding an integer, or null when <paramref name="present"/> is false.</summary>
        public void WriteInteger(string name, bool present, long value)
        {
            Name(name);
            if (present)
            {
                IntegerValue(value);
            }
            else
            {
                NullValue();
            }
        }

        /// <summary>Writes a member holding a decimal from milli-units (a price, an amount in currency units).</summary>
        public void WriteMilli(string name, long milli)
        {
            Name(name);
            DecimalValue(milli, 3);
        }

        /// <summary>Writes a member holding <paramref name="scaled"/> / 10^<paramref name="decimals"/>.</summary>
        public void WriteDecimal(string name, long scaled, int decimals)
        {
            Name(name);
            DecimalValue(scaled, decimals);
        }

        /// <summary>Writes a member holding a boolean.</summary>
        public void WriteBool(string name, bool value)
        {
            Name(name);
            BoolValue(value);
        }

        /// <summary>Writes a member holding an RFC 3339 UTC time.</summary>
        public void WriteTime(string name, long unixMs)
        {
            Name(name);
            TimeValue(unixMs);
        }

        /// <summary>Writes a member holding a string, or null.</summary>
        public void WriteString(byte[] key, string? value)
        {
            Name(key);
            StringValue(value);
        }

        /// <summary>Writes a member holding an integer.</summary>
        public void WriteInteger(byte[] key, long value)
        {
            Name(key);
            IntegerValue(value);
        }

        /// <summary>Writes a member holding an integer, or null when <paramref name="present"/> is false.</summary>
        public void WriteInteger(byte[] key, bool present, long value)
        {
            Name(key);
            if (present)
            {
                IntegerValue(value);
            }
            else
            {
                NullValue();
            }
        }

        /// <summary>Writes a member holding a decimal from milli-units.</summary>
        public void WriteMilli(byte[] key, long milli)
        {
            Name(key);
            DecimalValue(milli, 3);
        }

        /// <summary>Writes a member holding <paramref name="scaled"/> / 10^<paramref name="decimals"/>.</summary>
        public void WriteDecimal(byte[] key, long scaled, int decimals)
        {
            Name(key);
            DecimalValue(scaled, decimals);
        }

        /// <summary>Writes a member holding a boolean.</summary>
        public void WriteBool(byte[] key, bool value)
        {
            Name(key);
            BoolValue(value);
        }

        /// <summary>Writes a member holding an RFC 3339 UTC time.</summary>
        public void WriteTime(byte[] key, long unixMs)
        {
            Name(key);
            TimeValue(unixMs);
        }

        private void BeforeValue()
        {
            if (_afterName)
            {
                _afterName = false;
                return;
            }

            if (_hasItems[_depth])
            {
                Put((byte)',');
            }

            _hasItems[_depth] = true;
        }

        private void Open(byte bracket)
        {
            if (_depth == MaxDepth)
            {
                _failed = true;
                return;
            }

            Put(bracket);
            _depth++;
            _hasItems[_depth] = false;
        }

        private void Close(byte bracket)
        {
            if (_depth == 0)
            {
                _failed = true;
                return;
            }

            _depth--;
            Put(bracket);
        }

        private void Put(byte value)
        {
            if (_position < _end)
            {
                _buffer[_position++] = value;
            }
            else
            {
                _failed = true;
            }
        }

        // UTF-8 with JSON escaping; a lone surrogate becomes U+FFFD so the output is always valid UTF-8.
        private void PutString(string text)
        {
            Put((byte)'"');
            int length = text.Length;
            int i = PutPlainAscii(text);
            for (; i < length; i++)
            {
                int c = text[i];
                if (c < 0x80)
                {
                    PutAscii(c);
                }
                else if (c < 0x800)
                {
                    Put((byte)(0xC0 | (c >> 6)));
                    Put((byte)(0x80 | (c & 0x3F)));
                }
                else if (c >= 0xD800 && c <= 0xDBFF && i + 1 < length && text[i + 1] >= 0xDC00 && text[i + 1] <= 0xDFFF)
                {
                    int codePoint = 0x10000 + ((c - 0xD800) << 10) + (text[i + 1] - 0xDC00);
                    i++;
                    Put((byte)(0xF0 | (codePoint >> 18)));
                    Put((byte)(0x80 | ((codePoint >> 12) & 0x3F)));
                    Put((byte)(0x80 | ((codePoint >> 6) & 0x3F)));
                    Put((byte)(0x80 | (codePoint & 0x3F)));
                }
                else
                {
                    if (c >= 0xD800 && c <= 0xDFFF)
                    {
                        c = 0xFFFD;
                    }

                    Put((byte)(0xE0 | (c >> 12)));
                    Put((byte)(0x80 | ((c >> 6) & 0x3F)));
                    Put((byte)(0x80 | (c & 0x3F)));
                }
            }

            Put((byte)'"');
        }

        // Copies the leading run of ASCII that needs no escape (names, ids, wire names: usually the
        // whole string) with locals and no call per byte; returns where the general loop goes on.
        private int PutPlainAscii(string text)
        {
            byte[] buffer = _buffer;
            int position = _position;
            int end = _end;
            int length = text.Length;
            int i = 0;
            while (i < length && position < end)
            {
                char c = text[i];
                if (c < ' ' || c > '~' || c == '"' || c == '\\')
                {
                    break;
                }

                buffer[position++] = (byte)c;
                i++;
            }

            _position = position;
            return i;
        }

        private void PutAscii(int c)
        {
            if (c >= 0x20 && c != '"' && c != '\\')
            {
                Put((byte)c);
                return;
            }

            Put((byte)'\\');
            switch (c)
            {
                case '"':
                case '\\':
                    Put((byte)c);
                    break;
                case '\n':
                    Put((byte)'n');
                    break;
                case '\r':
                    Put((byte)'r');
                    break;
                case '\t':
                    Put((byte)'t');
                    break;
                case '\b':
                    Put((byte)'b');
                    break;
                case '\f':
                    Put((byte)'f');
                    break;
                default:
                    Put((byte)'u');
                    Put((byte)'0');
                    Put((byte)'0');
                    Put(HexDigit(c >> 4));
                    Put(HexDigit(c & 0xF));
                    break;
            }
        }

        private static byte HexDigit(int nibble)
        {
            return (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
        }

        private void PutDecimal(long scaled, int decimals)
        {
            ulong magnitude;
            if (scaled < 0)
            {
                Put((byte)'-');
                magnitude = (ulong)(-(scaled + 1)) + 1;
            }
            else
            {
                magnitude = (ulong)scaled;
            }

            ulong divisor = 1;
            for (int i = 0; i < decimals; i++)
            {
                divisor *= 10;
            }

            ulong whole = magnitude / divisor;
            ulong fraction = magnitude - whole * divisor;
            PutDigits(whole, 0);
            if (fraction == 0)
            {
                return;
            }

            int fractionDigits = decimals;
            while (fraction % 10 == 0)
            {
                fraction /= 10;
                fractionDigits--;
            }

            Put((byte)'.');
            PutDigits(fraction, fractionDigits);
        }

        // Writes `value` in decimal, left-padded with zeros to at least `minDigits` digits.
        private void PutDigits(ulong value, int minDigits)
        {
            int count = 1;
            for (ulong rest = value / 10; rest != 0; rest /= 10)
            {
                count++;
            }

            if (count < minDigits)
            {
                count = minDigits;
            }

            if (_end - _position < count)
            {
                _failed = true;
                _position = _end;
                return;
            }

            for (int i = _position + count - 1; i >= _position; i--)
            {
                _buffer[i] = (byte)('0' + (int)(value % 10));
                value /= 10;
            }

            _position += count;
        }
    }
}
