using ChargerFirmware.Drivers.Storage;
using ChargerFirmware.Persistence;
using Xunit;

namespace ChargerFirmware.Tests.Persistence;

public class MirroredFileTests
{
    /// <summary>Flash whose files live in arrays made up front, so only the writer's own allocations count.</summary>
    private sealed class PreallocatedStorage : IStorage
    {
        private readonly string[] _names = ["marks.a", "marks.b"];
        private readonly byte[][] _data = [new byte[256], new byte[256]];
        private readonly int[] _lengths = new int[2];

        public bool Exists(string name) => _lengths[IndexOf(name)] > 0;

        public int Length(string name) => _lengths[IndexOf(name)];

        public int Read(string name, int position, byte[] buffer, int offset, int count)
        {
            int i = IndexOf(name);
            int n = Math.Max(0, Math.Min(count, _lengths[i] - position));
            Array.Copy(_data[i], position, buffer, offset, n);
            return n;
        }

        public void Append(string name, byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public void WriteAtomic(string name, byte[] buffer, int offset, int count)
        {
            int i = IndexOf(name);
            Array.Copy(buffer, offset, _data[i], 0, count);
            _lengths[i] = count;
        }

        public void Truncate(string name, int length) => _lengths[IndexOf(name)] = Math.Min(length, _lengths[IndexOf(name)]);

        public void Delete(string name) => _lengths[IndexOf(name)] = 0;

        private int IndexOf(string name) => Array.IndexOf(_names, name);
    }

    [Fact]
    public void A_write_after_the_first_allocates_nothing_and_reads_back_as_the_newest()
    {
        // The ledger reserves its ids through this file while the control loop waits on the journal.
        var storage = new PreallocatedStorage();
        var health = new StorageHealth();
        var marks = new MirroredFile(storage, "marks", 1, health, StoredFile.LedgerIds);
        byte[] value = new byte[40];
        Assert.True(marks.Write(value, value.Length));

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 1; i <= 1000; i++)
        {
            CheckedFile.WriteInt64(value, 0, i);
            Assert.True(marks.Write(value, value.Length));
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);

        byte[]? loaded = new MirroredFile(storage, "marks", 1, health, StoredFile.LedgerIds).Load(value.Length);
        Assert.NotNull(loaded);
        Assert.Equal(1000, CheckedFile.ReadInt64(loaded, 0));
    }
}
