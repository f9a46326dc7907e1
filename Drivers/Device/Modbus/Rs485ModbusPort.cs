using System.IO.Ports;
using ChargerFirmware.Drivers.Modbus;

namespace ChargerFirmware.Drivers.Device.Modbus
{
    /// <summary>
    /// The RS-485 bus to the converter and the ISO 15118 companion module on a UART in
    /// <see cref="SerialMode.RS485"/>: the ESP32 raises RTS (wired to the transceiver's DE and /RE)
    /// while it sends and drops it when the last stop bit is out, so the master never switches the
    /// line itself. Reads return only what has already arrived and never block.
    /// </summary>
    public sealed class Rs485ModbusPort : IModbusPort
    {
        private readonly SerialPort _port;

        /// <summary>A port on the open <paramref name="port"/> (already in RS-485 mode).</summary>
        public Rs485ModbusPort(SerialPort port)
        {
            _port = port;
        }

        /// <inheritdoc/>
        public void Write(byte[] buffer, int offset, int count)
        {
            _port.Write(buffer, offset, count);
        }

        /// <inheritdoc/>
        public int Read(byte[] buffer, int offset, int count)
        {
            int available = _port.BytesToRead;
            if (available == 0)
            {
                return 0;
            }

            return _port.Read(buffer, offset, available < count ? available : count);
        }
    }
}
