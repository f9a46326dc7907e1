namespace ChargerFirmware.TechConsole
{
    /// <summary>
    /// Turns the bytes a technician types into lines. Printable ASCII is kept (up to the length limit)
    /// and echoed when asked; backspace and DEL erase; CR, LF or CR LF end a line; Ctrl-C drops the
    /// line; TAB counts as a space; NUL (telnet padding) is ignored. Any other control character, any
    /// byte above 0x7E or a line past the limit makes the whole line rejected when it ends, with the
    /// first offending byte kept for the error. Echo of a secret is masked with '*': the whole line
    /// when <see cref="MaskNextLine"/> is set, or what follows a secret prefix ("login ", "pin set ", "config set broker-password ").
    /// </summary>
    public sealed class LineEditor
    {
        /// <summary>Default longest line, characters.</summary>
        public const int DefaultMaxLength = 120;

        private const byte Backspace = 0x08;
        private const byte Delete = 0x7F;
        private const byte CtrlC = 0x03;
        private const byte Tab = 0x09;

        private static readonly string[] SecretPrefixes = { "login ", "pin set ", "config set broker-password " };

        private readonly char[] _chars;
        private readonly byte[] _echo = new byte[3];
        private int _length;
        private int _error;
        private int _errorByte;
        private int _lastError;
        private int _lastErrorByte;
        private bool _lastWasCr;

        /// <summary>An editor for lines of at most <paramref name="maxLength"/> characters.</summary>
        public LineEditor(int maxLength)
        {
            _chars = new char[maxLength];
        }

        /// <summary>True to echo typing back (interactive), false for scripts.</summary>
        public bool Echo { get; set; }

        /// <summary>True to mask the whole next line's echo (a PIN prompt); cleared when the line ends.</summary>
        public bool MaskNextLine { get; set; }

        /// <summary>Longest line, characters.</summary>
        public int MaxLength
        {
            get { return _chars.Length; }
        }

        /// <summary>The line just completed (after <see cref="LineResults.Line"/>).</summary>
        public string Line { get; private set; } = string.Empty;

        /// <summary>Why the line just ended was rejected (a <see cref="LineErrors"/> constant).</summary>
        public int Error
        {
            get { return _lastError; }
        }

        /// <summary>The first offending byte of a rejected line.</summary>
        public int ErrorByte
        {
            get { return _lastErrorByte; }
        }

        /// <summary>
        /// Takes one byte; the echo (if any) goes to <paramref name="echo"/>. Returns a
        /// <see cref="LineResults"/> constant: a line, a rejected line, a cancelled line, or nothing yet.
        /// </summary>
        public int Feed(byte b, ConsoleWriter echo)
        {
            bool afterCr = _lastWasCr;
            _lastWasCr = b == (byte)'\r';
            if (b == (byte)'\n' && afterCr)
            {
                return LineResults.None;
            }

            if (b == (byte)'\r' || b == (byte)'\n')
            {
                return EndLine(echo);
            }

            if (b == Tab)
            {
                b = (byte)' ';
            }

            if (b >= 0x20 && b < Delete)
            {
                Append((char)b, echo);
                return LineResults.None;
            }

            switch (b)
            {
                case 0:
                    return LineResults.None;
                case Backspace:
                case Delete:
                    Erase(echo);
                    return LineResults.None;
                case CtrlC:
                    Clear();
                    if (Echo)
                    {
                        echo.Text("^C");
                        echo.Line();
                    }

                    return LineResults.Cancelled;
                default:
                    Reject(b >= 0x80 ? LineErrors.NonAscii : LineErrors.ControlCharacter, b);
                    return LineResults.None;
            }
        }

        private void Append(char ch, ConsoleWriter echo)
        {
            if (_length == _chars.Length)
            {
                Reject(LineErrors.TooLong, ch);
                return;
            }

            bool masked = MaskNextLine || AfterSecretPrefix();
            _chars[_length++] = ch;
            if (Echo && _error == LineErrors.None)
            {
                echo.Char(masked ? '*' : ch);
            }
        }

        private void Erase(ConsoleWriter echo)
        {
            if (_length == 0 || _error != LineErrors.None)
            {
                return;
            }

            _length--;
            if (Echo)
            {
                _echo[0] = Backspace;
                _echo[1] = (byte)' ';
                _echo[2] = Backspace;
                echo.Bytes(_echo, 0, 3);
            }
        }

        private int EndLine(ConsoleWriter echo)
        {
            if (Echo)
            {
                echo.Line();
            }

            _lastError = _error;
            _lastErrorByte = _errorByte;
            if (_error != LineErrors.None)
            {
                Clear();
                return LineResults.Rejected;
            }

            Line = new string(_chars, 0, _length);
            Clear();
            return LineResults.Line;
        }

        private void Reject(int error, int b)
        {
            if (_error == LineErrors.None)
            {
                _error = error;
                _errorByte = b;
            }
        }

        private void Clear()
        {
            for (int i = 0; i < _length; i++)
            {
                _chars[i] = ' ';
            }

            _length = 0;
            _error = LineErrors.None;
            MaskNextLine = false;
        }

        private bool AfterSecretPrefix()
        {
            for (int p = 0; p < SecretPrefixes.Length; p++)
            {
                string prefix = SecretPrefixes[p];
                if (_length < prefix.Length)
                {
                    continue;
                }

                bool match = true;
                for (int i = 0; i < prefix.Length && match; i++)
                {
                    match = _chars[i] == prefix[i];
                }

                if (match)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>What <see cref="LineEditor.Feed"/> produced.</summary>
    public static class LineResults
    {
        /// <summary>Nothing yet.</summary>
        public const int None = 0;

        /// <summary>A valid line is in <see cref="LineEditor.Line"/>.</summary>
        public const int Line = 1;

        /// <summary>The line ended and is rejected: see <see cref="LineEditor.Error"/>.</summary>
        public const int Rejected = 2;

        /// <summary>Ctrl-C dropped the line.</summary>
        public const int Cancelled = 3;
    }

    /// <summary>Why a line was rejected.</summary>
    public static class LineErrors
    {
        /// <summary>Not rejected.</summary>
        public const int None = 0;

        /// <summary>Longer than the limit.</summary>
        public const int TooLong = 1;

        /// <summary>A control character other than the editing ones.</summary>
        public const int ControlCharacter = 2;

        /// <summary>A byte above 0x7E.</summary>
        public const int NonAscii = 3;
    }
}
