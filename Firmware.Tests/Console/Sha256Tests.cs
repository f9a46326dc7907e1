using System.Security.Cryptography;
using System.Text;
using ChargerFirmware.Security;
using Xunit;

namespace ChargerFirmware.Tests.TechConsole;

public class Sha256Tests
{
    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    [Theory]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    [InlineData("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu", "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")]
    public void Matches_the_FIPS_180_vectors(string message, string digest)
    {
        byte[] data = Encoding.ASCII.GetBytes(message);
        Assert.Equal(digest, Hex(Sha256.Hash(data, 0, data.Length)));
    }

    [Fact]
    public void Hashes_a_million_a_fed_in_odd_pieces()
    {
        var sha = new Sha256();
        byte[] a = Enumerable.Repeat((byte)'a', 1000).ToArray();
        int fed = 0;
        var random = new Random(7);
        while (fed < 1_000_000)
        {
            int n = Math.Min(random.Next(1, 1000), 1_000_000 - fed);
            sha.Update(a, 0, n);
            fed += n;
        }

        var digest = new byte[32];
        sha.Final(digest, 0);
        Assert.Equal("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", Hex(digest));
    }

    [Fact]
    public void Agrees_with_the_platform_around_every_block_boundary_and_is_reusable()
    {
        var sha = new Sha256();
        var random = new Random(11);
        var digest = new byte[32];
        for (int length = 0; length <= 200; length++)
        {
            byte[] data = new byte[length + 3];
            random.NextBytes(data);
            sha.Update(data, 3, length);
            sha.Final(digest, 0);
            Assert.Equal(SHA256.HashData(data.AsSpan(3, length)), digest);
        }
    }
}
