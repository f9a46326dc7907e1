using System.Threading;
using ChargerFirmware.Drivers.Serial;

namespace ChargerFirmware.DeviceTests.Parts
{
    /// <summary>
    /// The technician's serial line: what <see cref="Type"/> queued is read once (with nothing queued a
    /// read waits its timeout, as a UART does), what the console writes is counted and its last line
    /// kept (up to 128 characters).
    /// </summary>
    public sealed class ConsoleLine : IByteStream
    {
        private readonly byte[] _input = new byte[256];
        private readonly byte[] _line = new byte[128];
        private int _inputLength;
        private int _inputRead;
        private readonly byte[] _lastLine = new byte[128];
        private int _lineLength;
        private int _lastLineLength;

        /// <summary>Bytes the console wrote since start.</summary>
        public int Written;

        /// <summary>Lines the console wrote since start.</summary>
        public int Lines;

        /// <summary>Queues <paramref name="text"/> and a carriage return, as a technician typing.</summary>
        public void Type(string text)
        {
            _inputLength = 0;
            _inputRead = 0;
            for (int i = 0; i < text.Length && _inputLength < _input.Length - 1; i++)
            {
                _input[_inputLength++] = (byte)text[i];
            }

            _input[_inputLength++] = (byte)'\r';
        }

        /// <summary>The last complete line the console wrote.</summary>
        public string LastLine()
        {
            char[] chars = new char[_lastLineLength];
            for (int i = 0; i < _lastLineLength; i++)
            {
                chars[i] = (char)_lastLine[i];
            }

            return new string(chars);
        }

        /// <inheritdoc />
        public int Read(byte[] buffer, int offset, int count, int timeoutMs)
        {
            if (_inputRead == _inputLength && timeoutMs > 0)
            {
                Thread.Sleep(timeoutMs);
            }

            int n = 0;
            while (n < count && _inputRead < _inputLength)
            {
                buffer[offset + n++] = _input[_inputRead++];
            }

            return n;
        }

        /// <inheritdoc />
        public void Write(byte[] buffer, int offset, int count)
        {
            Written += count;
            for (int i = 0; i < count; i++)
            {
                byte b = buffer[offset + i];
                if (b == (byte)'\n')
                {
                    Lines++;
                    for (int j = 0; j < _lineLength; j++)
                    {
                        _lastLine[j] = _line[j];
                    }

                    _lastLineLength = _lineLength;
                    _lineLength = 0;
                }
                else if (b != (byte)'\r' && _lineLength < _line.Length)
                {
                    _line[_lineLength++] = b;
                }
            }
        }
    }
}
