using ChargerFirmware.Drivers.Storage;

namespace ChargerFirmware.Tests.Conditions;

/// <summary>
/// In-memory flash for the preset tests, able to lose power in the middle of a write. When
/// <see cref="Atomic"/> it behaves like the real storage (temporary file, then rename): a cut leaves
/// the old file. When not, it models a medium without atomic replace: a cut leaves a torn file.
/// </summary>
internal sealed class FakeStorage : IStorage
{
    public Dictionary<string, byte[]> Files { get; } = new();

    public bool Atomic { get; set; } = true;

    /// <summary>The next write loses power after this many bytes (-1: no cut).</summary>
    public int CutPowerAfterBytes { get; set; } = -1;

    public bool ThrowOnRead { get; set; }

    public bool Exists(string name) => Files.ContainsKey(name);

    public int Length(string name) => Files.TryGetValue(name, out var data) ? data.Length : 0;

    public int Read(string name, int position, byte[] buffer, int offset, int count)
    {
        if (ThrowOnRead)
        {
            throw new IOException("flash read error");
        }

        var data = Files[name];
        int n = Math.Max(0, Math.Min(count, data.Length - position));
        Array.Copy(data, position, buffer, offset, n);
        return n;
    }

    public void Append(string name, byte[] buffer, int offset, int count)
    {
        var old = Files.TryGetValue(name, out var data) ? data : [];
        Files[name] = [.. old, .. buffer.AsSpan(offset, count).ToArray()];
    }

    public void WriteAtomic(string name, byte[] buffer, int offset, int count)
    {
        if (CutPowerAfterBytes >= 0)
        {
            int written = Math.Min(CutPowerAfterBytes, count);
            CutPowerAfterBytes = -1;
            if (Atomic)
            {
                Files[name + ".tmp"] = buffer.AsSpan(offset, written).ToArray();
            }
            else
            {
                Files[name] = buffer.AsSpan(offset, written).ToArray();
            }

            throw new IOException("power cut");
        }

        Files[name] = buffer.AsSpan(offset, count).ToArray();
    }

    public void Truncate(string name, int length) => Files[name] = Files[name].AsSpan(0, length).ToArray();

    public void Delete(string name) => Files.Remove(name);
}
