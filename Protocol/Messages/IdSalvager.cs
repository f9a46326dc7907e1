namespace ChargerFirmware.Protocol.Messages
{
    /// <summary>
    /// Finds the top-level "id" of a payload the strict decoder rejected, so the rejection can be acked
    /// with it. Lenient but careful: it tracks strings and nesting, takes the id only from the root
    /// object, only as a plain string of 1..64 visible ASCII without escapes, and gives up (null) when
    /// "id" appears more than once at the top level or is not such a string. Linear in the length.
    /// </summary>
    internal sealed class IdSalvager
    {
        private readonly char[] _chars = new char[Limits.MaxTokenLength];

        public string? Find(byte[] payload, int length)
        {
            if (length > payload.Length)
            {
                length = payload.Length;
            }

            int i = SkipSpace(payload, 0, length);
            if (i >= length || payload[i] != '{')
            {
                return null;
            }

            string? found = null;
            int depth = 0;
            while (i < length)
            {
                int b = payload[i];
                if (b == '{' || b == '[')
                {
                    depth++;
                }
                else if (b == '}' || b == ']')
                {
                    depth--;
                }
                else if (b == '"')
                {
                    int close = StringEnd(payload, i + 1, length);
                    if (close < 0)
                    {
                        break;
                    }

                    int colon = SkipSpace(payload, close + 1, length);
                    bool isIdName = depth == 1 && close == i + 3 && payload[i + 1] == 'i' && payload[i + 2] == 'd'
                        && colon < length && payload[colon] == ':';
                    if (!isIdName)
                    {
                        i = close + 1;
                        continue;
                    }

                    int open = SkipSpace(payload, colon + 1, length);
                    int end = open < length && payload[open] == '"' ? StringEnd(payload, open + 1, length) : -1;
                    if (found != null || end < 0)
                    {
                        return null;
                    }

                    found = Take(payload, open + 1, end);
                    if (found == null)
                    {
                        return null;
                    }

                    i = end + 1;
                    continue;
                }

                i++;
            }

            return found;
        }

        private static int SkipSpace(byte[] payload, int i, int length)
        {
            while (i < length && (payload[i] == ' ' || payload[i] == '\t' || payload[i] == '\n' || payload[i] == '\r'))
            {
                i++;
            }

            return i;
        }

        // Index of the quote closing a string whose content starts at `i`, honouring backslashes; -1 if unterminated.
        private static int StringEnd(byte[] payload, int i, int length)
        {
            while (i < length)
            {
                if (payload[i] == '\\')
                {
                    i += 2;
                }
                else if (payload[i] == '"')
                {
                    return i;
                }
                else
                {
                    i++;
                }
            }

            return -1;
        }

        private string? Take(byte[] payload, int start, int end)
        {
            int count = end - start;
            if (count < 1 || count > _chars.Length)
            {
                return null;
            }

            for (int i = 0; i < count; i++)
            {
                int c = payload[start + i];
                if (c < '!' || c > '~' || c == '\\')
                {
                    return null;
                }

                _chars[i] = (char)c;
            }

            return new string(_chars, 0, count);
        }
    }
}
