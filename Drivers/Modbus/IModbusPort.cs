namespace ChargerFirmware.Drivers.Modbus
{
    /// <summary>
    /// Moves bytes to and from the RS-485 line, never waiting. The device adapter wraps a serial port
    /// in RS-485 mode; it drives the transmitter enable and suppresses the local echo, so
    /// <see cref="Read"/> returns only bytes sent by other devices. Everything above bytes (framing,
    /// timing, retries) is the portable <see cref="ModbusMaster"/>.
    /// </summary>
    public interface IModbusPort
    {
        /// <summary>Queues <paramref name="count"/> bytes of <paramref name="buffer"/> from <paramref name="offset"/> for sending.</summary>
        void Write(byte[] buffer, int offset, int count);

        /// <summary>
        /// Copies up to <paramref name="count"/> received bytes into <paramref name="buffer"/> from
        /// <paramref name="offset"/>; returns how many were available now (0 if none).
        /// </summary>
        int Read(byte[] buffer, int offset, int count);
    }
}
