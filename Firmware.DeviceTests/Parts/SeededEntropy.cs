using ChargerFirmware.Drivers.Entropy;
using ChargerFirmware.Drivers.Platform;

namespace ChargerFirmware.DeviceTests.Parts
{
    /// <summary>Repeatable "random" bytes (xorshift32), so both runtimes draw the same session ids and nonces; and a platform that counts reboots.</summary>
    public sealed class SeededEntropy : IEntropySource, ISystemControl
    {
        private uint _state;

        /// <summary>A source seeded with <paramref name="seed"/> (not 0).</summary>
        public SeededEntropy(uint seed)
        {
            _state = seed == 0 ? 1u : seed;
        }

        /// <summary>Reboots asked for.</summary>
        public int Reboots;

        /// <inheritdoc />
        public void Fill(byte[] buffer, int offset, int count)
        {
            for (int i = 0; i < count; i++)
            {
                _state ^= _state << 13;
                _state ^= _state >> 17;
                _state ^= _state << 5;
                buffer[offset + i] = (byte)_state;
            }
        }

        /// <inheritdoc />
        public void Reboot()
        {
            Reboots++;
        }
    }
}
