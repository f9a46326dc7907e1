namespace ChargerFirmware.Drivers.Serial
{
    /// <summary>
    /// A byte stream for the technician's console: the UART on the device; stdin/stdout, a socket
    /// or a pseudo-terminal on the host.
    /// </summary>
    public interface IByteStream
    {
        /// <summary>
        /// Reads up to <paramref name="count"/> bytes, waiting at most <paramref name="timeoutMs"/>;
        /// returns 0 on timeout and -1 when the stream has ended.
        /// </summary>
        int Read(byte[] buffer, int offset, int count, int timeoutMs);

        /// <summary>Writes all <paramref name="count"/> bytes.</summary>
        void Write(byte[] buffer, int offset, int count);
    }
}
