using System.IO.Ports;

namespace ChargerFirmware.Drivers.Modbus
{
    /// <summary>
    /// The RS-485 line on the device: a nanoFramework serial port in RS-485 mode, whose RTS pin
    /// drives the transceiver's driver enable. Wire the transceiver's receiver enable to the same
    /// signal (inverted, as on a MAX485) so the master does not hear its own request. The board
    /// setup maps the pins first (Configuration.SetPinFunction with COMn_RX, COMn_TX, COMn_RTS).
    /// </summary>
    public sealed class SerialModbusPort : IModbusPort
    {
        private readonly SerialPort _port;

        /// <summary>
        /// Opens <paramref name="portName"/> (e.g. "COM2") at <paramref name="baudRate"/>, 8 data
        /// bits; Modbus RTU wants even parity and one stop bit, or no parity and two stop bits.
        /// </summary>
        public SerialModbusPort(string portName, int baudRate, Parity parity)
        {
            _port = new SerialPort(portName, baudRate, parity, 8, parity == Parity.None ? StopBits.Two : StopBits.One);
            _port.Mode = SerialMode.RS485;
            _port.Open();
        }

        /// <inheritdoc />
        public void Write(byte[] buffer, int offset, int count)
        {
            _port.Write(buffer, offset, count);
        }

        /// <inheritdoc />
        public int Read(byte[] buffer, int offset, int count)
        {
            int available = _port.BytesToRead;
            if (available <= 0)
            {
                return 0;
            }

            return _port.Read(buffer, offset, available < count ? available : count);
        }
    }
}
