using ChargerFirmware.Ledger;
using ChargerFirmware.VirtualHardware;
using Xunit;
using static ChargerFirmware.Tests.Ledger.LedgerFixtures;

namespace ChargerFirmware.Tests.Ledger;

/// <summary>The journal on real files, reopened as after a restart.</summary>
public sealed class FolderStorageTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ledger-test-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, true);
        }
    }

    [Fact]
    public void The_journal_survives_a_restart_with_acks_compaction_and_a_torn_tail()
    {
        var journal = Open(new FolderStorage(_folder));
        var written = new List<LedgerRecord>();
        for (int n = 1; n <= 20; n++)
        {
            var record = Record(n, KindOf(n), "D-" + n);
            journal.Append(record);
            written.Add(record);
        }

        Assert.True(journal.Acknowledge(8));

        journal = Open(new FolderStorage(_folder));
        Assert.Equal(Describe(written), Describe(All(journal)));
        Assert.Equal(8, journal.AckedUpTo);
        Assert.True(journal.Compact());

        journal = Open(new FolderStorage(_folder));
        Assert.Equal(Describe(written.Skip(8)), Describe(All(journal)));
        Assert.Equal(1, journal.Generation);

        // A power cut in the middle of an append: half a frame at the end of the file.
        string file = Path.Combine(_folder, Base + ".j1");
        byte[] bytes = File.ReadAllBytes(file);
        using (var stream = new FileStream(file, FileMode.Append))
        {
            stream.Write(bytes, LedgerJournal.JournalHeaderLength, 30);
        }

        journal = Open(new FolderStorage(_folder));
        Assert.Equal(30, journal.Health.TornTailBytes);
        Assert.Equal(bytes.Length, new FileInfo(file).Length);
        // A cut tail may have held a record already sent: ids go on above the whole reservation.
        Assert.Equal(LedgerJournal.IdBlock + 1, journal.Append(Record(21)));
        Assert.Equal(13, Open(new FolderStorage(_folder)).UnackedCount);
        Assert.Equal([Base + ".ids.a", Base + ".ids.b", Base + ".j1", Base + ".state"], Directory.GetFiles(_folder).Select(f => Path.GetFileName(f)!).Order().ToArray());
    }

    [Fact]
    public void Storage_operations_behave_like_the_interface_says()
    {
        var storage = new FolderStorage(_folder);
        Assert.False(storage.Exists("a"));
        Assert.Equal(0, storage.Length("a"));
        Assert.Equal(0, storage.Read("a", 0, new byte[4], 0, 4));
        storage.Append("a", [1, 2, 3, 4, 5], 1, 3);
        storage.Append("a", [6], 0, 1);
        var buffer = new byte[10];
        Assert.Equal(3, storage.Read("a", 1, buffer, 2, 8));
        Assert.Equal(new byte[] { 0, 0, 3, 4, 6 }, buffer.Take(5));
        storage.Truncate("a", 2);
        Assert.Equal(2, storage.Length("a"));
        storage.Truncate("a", 5);
        Assert.Equal(2, storage.Length("a"));
        storage.WriteAtomic("a", [9, 9, 9], 0, 2);
        Assert.Equal(2, storage.Length("a"));
        Assert.Equal(2, storage.Read("a", 0, buffer, 0, 10));
        Assert.Equal(9, buffer[1]);
        storage.WriteAtomic("b", [7], 0, 1);
        Assert.True(storage.Exists("b"));
        storage.Delete("b");
        storage.Delete("b");
        Assert.False(storage.Exists("b"));
        Assert.Throws<ArgumentException>(() => storage.Exists("../x"));
        Assert.Single(Directory.GetFiles(_folder));
    }
}
