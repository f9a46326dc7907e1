using System;
using ChargerFirmware.Drivers.Entropy;

namespace ChargerFirmware.Drivers.Device.Entropy
{
    /// <summary>
    /// The ESP32's hardware random number generator. On ESP32 targets nanoFramework backs System.Random
    /// with esp_random() (nf-interpreter targets/ESP32/_nanoCLR/targetRandom.cpp) and ignores seeds;
    /// ESP-IDF documents its output as true random while Wi-Fi or Bluetooth runs, which is the case
    /// whenever the charger issues nonces.
    /// </summary>
    public sealed class HardwareEntropy : IEntropySource
    {
        private readonly Random _random = new Random();
        private readonly byte[] _chunk = new byte[32];

        /// <inheritdoc/>
        public void Fill(byte[] buffer, int offset, int count)
        {
            while (count > 0)
            {
                _random.NextBytes(_chunk);
                int take = count < _chunk.Length ? count : _chunk.Length;
                Array.Copy(_chunk, 0, buffer, offset, take);
                offset += take;
                count -= take;
            }
        }
    }
}
