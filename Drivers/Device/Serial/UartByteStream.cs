using System;
using System.IO.Ports;
using System.Threading;
using ChargerFirmware.Drivers.Serial;

namespace ChargerFirmware.Drivers.Device.Serial
{
    /// <summary>
    /// The technician's console on a UART. nanoFramework's SerialPort.Read waits for the full count
    /// (and throws on timeout), so this waits for the first byte by polling and then reads only what
    /// has arrived. A UART never ends, so Read never returns -1.
    /// </summary>
    public sealed class UartByteStream : IByteStream
    {
        private const int PollIntervalMs = 10;

        private readonly SerialPort _port;

        /// <summary>A console on the open <paramref name="port"/>.</summary>
        public UartByteStream(SerialPort port)
        {
            _port = port;
        }

        /// <inheritdoc/>
        public int Read(byte[] buffer, int offset, int count, int timeoutMs)
        {
            long deadline = Environment.TickCount64 + timeoutMs;
            int available = _port.BytesToRead;
            while (available == 0)
            {
                if (Environment.TickCount64 >= deadline)
                {
                    return 0;
                }

                Thread.Sleep(PollIntervalMs);
                available = _port.BytesToRead;
            }

            return _port.Read(buffer, offset, available < count ? available : count);
        }

        /// <inheritdoc/>
        public void Write(byte[] buffer, int offset, int count)
        {
            _port.Write(buffer, offset, count);
        }
    }
}
