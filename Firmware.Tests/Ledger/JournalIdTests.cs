using ChargerFirmware.Ledger;
using ChargerFirmware.Persistence;
using ChargerFirmware.VirtualHardware;
using Xunit;
using static ChargerFirmware.Tests.Ledger.LedgerFixtures;

namespace ChargerFirmware.Tests.Ledger;

/// <summary>
/// A ledger id, once it may have been sent, never names other content: not after a cut tail, an
/// emptied or deleted journal, lost marks, nor any mix of them. The aggregator deduplicates by id,
/// so a reused id would silently swallow a record.
/// </summary>
public class JournalIdTests
{
    private const string JournalFile = Base + ".j0";

    // Appends n records and sends them all (the uplink read them: they may be at the aggregator).
    private static Dictionary<long, string> AppendAndSend(LedgerJournal journal, int first, int count)
    {
        var sent = new Dictionary<long, string>();
        for (int n = first; n < first + count; n++)
        {
            journal.Append(Record(n, KindOf(n), "D-" + n));
        }

        var record = new LedgerRecord();
        while (journal.NextUnsent(record))
        {
            sent[record.RecordId] = Describe(record);
        }

        return sent;
    }

    [Fact]
    public void The_last_byte_cut_after_a_record_was_sent_never_gives_its_id_to_another_record()
    {
        var storage = new MemoryStorage();
        var journal = Open(storage);
        var sent = AppendAndSend(journal, 1, 3);
        byte[] bytes = storage.GetBytes(JournalFile);
        storage.SetBytes(JournalFile, bytes[..^1]);

        var reopened = Open(storage);
        Assert.Equal(2, reopened.RecordCount);
        long next = reopened.Append(Record(9));
        Assert.DoesNotContain(next, sent.Keys);
        Assert.True(next > LedgerJournal.IdBlock - 1, $"id {next} is inside the block that may have been sent");
        Assert.True(reopened.Health.TailCut);
    }

    [Theory]
    [InlineData("emptied")]
    [InlineData("deleted")]
    [InlineData("state deleted")]
    public void An_emptied_or_deleted_journal_never_gives_a_sent_id_to_another_record(string damage)
    {
        var storage = new MemoryStorage();
        var sent = AppendAndSend(Open(storage), 1, 5);
        switch (damage)
        {
            case "emptied":
                storage.SetBytes(JournalFile, storage.GetBytes(JournalFile)[..LedgerJournal.JournalHeaderLength]);
                break;
            case "deleted":
                storage.Delete(JournalFile);
                break;
            default:
                storage.Delete(Base + LedgerJournal.StateSuffix);
                storage.Delete(JournalFile);
                break;
        }

        long next = Open(storage).Append(Record(9));
        Assert.DoesNotContain(next, sent.Keys);
    }

    [Fact]
    public void Marks_and_journal_both_damaged_still_move_ids_past_anything_a_reservation_could_have_reached()
    {
        var storage = new MemoryStorage();
        var sent = AppendAndSend(Open(storage), 1, 70);
        storage.SetBytes(JournalFile, storage.GetBytes(JournalFile)[..^5]);
        storage.FlipBit(Base + ".ids.a", 100);
        storage.Delete(Base + ".ids.b");

        var reopened = Open(storage);
        Assert.Equal(LoadResults.Lost, reopened.Health.MarksResult);
        long next = reopened.Append(Record(99));
        Assert.True(next > sent.Keys.Max() + LedgerJournal.IdBlock, $"id {next}");
    }

    [Fact]
    public void Random_damage_between_restarts_never_reissues_an_id_with_other_content()
    {
        var random = new Random(20270115);
        var storage = new MemoryStorage();
        var everSent = new Dictionary<long, string>();
        int n = 1;
        for (int round = 0; round < 300; round++)
        {
            var journal = Open(storage);
            foreach (var (id, content) in AppendAndSend(journal, n, random.Next(0, 6)))
            {
                Assert.True(!everSent.TryGetValue(id, out string? before) || before == content, $"round {round}: id {id} reissued with other content");
                everSent[id] = content;
            }

            // What is held again after a restart is what was sent under that id, or nothing.
            foreach (LedgerRecord held in All(journal))
            {
                Assert.True(!everSent.TryGetValue(held.RecordId, out string? content) || content == Describe(held), $"round {round}: id {held.RecordId} holds other content");
            }

            n += 10;
            if (random.Next(3) == 0 && everSent.Count > 0)
            {
                journal.Acknowledge(Math.Max(journal.AckedUpTo, journal.LastRecordId - random.Next(0, 3)));
                journal.Compact();
            }

            Damage(storage, random);
        }
    }

    // One random flash accident: a cut tail, a flipped bit, an emptied or deleted file (journal, state or a mark copy).
    private static void Damage(MemoryStorage storage, Random random)
    {
        var names = storage.Names.ToList();
        if (names.Count == 0)
        {
            return;
        }

        string name = names[random.Next(names.Count)];
        byte[] bytes = storage.GetBytes(name);
        switch (random.Next(5))
        {
            case 0 when bytes.Length > 0:
                storage.SetBytes(name, bytes[..random.Next(bytes.Length)]);
                break;
            case 1 when bytes.Length > 0:
                storage.FlipBit(name, random.Next(bytes.Length * 8));
                break;
            case 2:
                storage.Delete(name);
                break;
            default:
                break; // a clean restart
        }
    }
}
