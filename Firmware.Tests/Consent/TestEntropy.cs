using System.Security.Cryptography;
using ChargerFirmware.Drivers.Entropy;

namespace ChargerFirmware.Tests.Consent;

/// <summary>The host's CSPRNG, as the device's hardware generator would be.</summary>
internal sealed class CryptoEntropy : IEntropySource
{
    public void Fill(byte[] buffer, int offset, int count) => RandomNumberGenerator.Fill(buffer.AsSpan(offset, count));
}

/// <summary>Deterministic bytes from a seeded generator (for reproducible property tests) and a fill count.</summary>
internal sealed class SeededEntropy(int seed) : IEntropySource
{
    private readonly Random _random = new(seed);

    public int Fills { get; private set; }

    public void Fill(byte[] buffer, int offset, int count)
    {
        Fills++;
        _random.NextBytes(buffer.AsSpan(offset, count));
    }
}
