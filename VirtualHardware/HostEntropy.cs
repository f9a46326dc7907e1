using System.Security.Cryptography;
using ChargerFirmware.Drivers.Entropy;

namespace ChargerFirmware.VirtualHardware;

/// <summary>The operating system's CSPRNG, standing in for the ESP32's hardware random number generator.</summary>
public sealed class HostEntropy : IEntropySource
{
    /// <inheritdoc />
    public void Fill(byte[] buffer, int offset, int count) => RandomNumberGenerator.Fill(buffer.AsSpan(offset, count));
}
