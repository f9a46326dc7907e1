namespace ChargerFirmware.Drivers.Entropy
{
    /// <summary>
    /// Unpredictable bytes for nonces (the consent nonce must be unguessable): the ESP32's hardware
    /// random number generator on the device, the operating system's CSPRNG on the host.
    /// </summary>
    public interface IEntropySource
    {
        /// <summary>Fills <paramref name="count"/> bytes of <paramref name="buffer"/> from <paramref name="offset"/>.</summary>
        void Fill(byte[] buffer, int offset, int count);
    }
}
