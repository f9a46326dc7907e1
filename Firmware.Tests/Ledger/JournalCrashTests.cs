using ChargerFirmware.Ledger;
using ChargerFirmware.Protocol.Messages;
using ChargerFirmware.VirtualHardware;
using Xunit;
using static ChargerFirmware.Tests.Ledger.LedgerFixtures;

namespace ChargerFirmware.Tests.Ledger;

/// <summary>Power cuts at every unit (byte, rename, truncation, deletion) of the journal's writes.</summary>
public class JournalCrashTests
{
    private static List<string> Committed(MemoryStorage storage, int count)
    {
        var journal = Open(storage);
        var records = new List<LedgerRecord>();
        for (int n = 1; n <= count; n++)
        {
            var record = Record(n, KindOf(n), n % 2 == 0 ? "D-" + n : "");
            journal.Append(record);
            records.Add(record);
        }

        return Describe(records);
    }

    [Fact]
    public void A_cut_after_every_byte_of_the_last_append_recovers_exactly_the_committed_records()
    {
        var storage = new MemoryStorage();
        List<string> committed = Committed(storage, 5);
        var before = storage.Snapshot();
        var last = Record(6, LedgerKind.AggregatorDischarge, "D-\u00e9\u65e5\U0001F600");
        long units = storage.UnitsWritten;
        var measured = Open(storage);
        measured.Append(last);
        long appendCost = storage.UnitsWritten - units;
        units = storage.UnitsWritten;
        measured.TrySetBookedMeter(0, 0, 0);
        long markCost = storage.UnitsWritten - units;
        long frameCost = appendCost - markCost;
        Assert.True(frameCost > 60);

        for (long budget = 0; budget <= appendCost; budget++)
        {
            storage.Restore(before);
            var journal = Open(storage);
            storage.WriteBudget = budget;

            // The marks written after the frame swallow their failure (the record is already on flash).
            bool cut = Cut(() => journal.Append(last)) || storage.PoweredOff;
            Assert.Equal(budget < appendCost, cut);
            bool committedNow = budget >= frameCost;

            storage.PowerOn();
            var recovered = Open(storage);
            var expected = new List<string>(committed);
            if (committedNow)
            {
                expected.Add(Describe(last));
            }

            Assert.Equal(expected, Describe(All(recovered)));
            Assert.Equal(0, recovered.Health.CorruptRegions);
            Assert.Equal(budget > 0 && !committedNow ? (int)budget : 0, recovered.Health.TornTailBytes);

            // The journal goes on cleanly: the next record follows without a gap in the file and
            // a second restart finds nothing to repair.
            var next = Record(7);
            recovered.Append(next);
            expected.Add(Describe(next));
            var again = Open(storage);
            Assert.Equal(expected, Describe(All(again)));
            Assert.Equal(0, again.Health.TornTailBytes + again.Health.CorruptRegions);
        }
    }

    [Fact]
    public void A_cut_after_every_unit_of_a_compaction_leaves_the_old_or_the_new_journal_whole()
    {
        var storage = new MemoryStorage();
        List<string> all = Committed(storage, 12);
        var journal = Open(storage);
        Assert.True(journal.Acknowledge(7));
        List<string> unacked = all.Skip(7).ToList();
        var before = storage.Snapshot();
        long units = storage.UnitsWritten;
        Assert.True(Open(storage).Compact());
        long compactionCost = storage.UnitsWritten - units;
        Assert.True(compactionCost > 400);

        int sawOld = 0;
        int sawNew = 0;
        for (long budget = 0; budget <= compactionCost; budget++)
        {
            storage.Restore(before);
            journal = Open(storage);
            storage.WriteBudget = budget;
            bool cut = !journal.Compact() || storage.PoweredOff;
            Assert.Equal(budget < compactionCost, cut);

            storage.PowerOn();
            var recovered = Open(storage);
            List<string> records = Describe(All(recovered));
            if (records.Count == all.Count)
            {
                Assert.Equal(all, records);
                sawOld++;
            }
            else
            {
                Assert.Equal(unacked, records);
                sawNew++;
            }

            // Whichever journal is in use: the ack mark survived, nothing unacknowledged is lost,
            // no left-over file stays, ids continue above every id ever given.
            Assert.Equal(7, recovered.AckedUpTo);
            Assert.Equal(5, recovered.UnackedCount);
            Assert.Equal(0, recovered.Health.CorruptRegions + recovered.Health.TornTailBytes);
            Assert.Equal(4, storage.Names.Count);
            var sent = new LedgerRecord();
            Assert.True(recovered.NextUnsent(sent));
            Assert.Equal(8, sent.RecordId);
            Assert.Equal(13, recovered.Append(Record(13)));
        }

        Assert.True(sawOld > 0 && sawNew > 0, $"old {sawOld}, new {sawNew}");
    }

    [Fact]
    public void A_cut_while_compacting_during_an_append_keeps_every_record()
    {
        var storage = new MemoryStorage();
        int maxBytes = 2048;
        var journal = Open(storage, maxBytes);
        int n = 0;
        while (journal.SizeBytes + 200 < maxBytes)
        {
            journal.Append(Record(++n));
        }

        journal.Acknowledge(n / 2);
        var before = storage.Snapshot();
        List<string> held = Describe(All(journal));
        var extra = Record(++n);
        long units = storage.UnitsWritten;
        Open(storage, maxBytes).Append(extra);
        long cost = storage.UnitsWritten - units;

        for (long budget = 0; budget <= cost; budget++)
        {
            storage.Restore(before);
            journal = Open(storage, maxBytes);
            storage.WriteBudget = budget;
            bool cut = Cut(() => journal.Append(extra));
            storage.PowerOn();
            var recovered = Open(storage, maxBytes);
            List<string> records = Describe(All(recovered));
            var unackedBefore = held.Skip(n / 2).ToList();
            if (!cut)
            {
                unackedBefore.Add(Describe(extra));
            }

            // Either whole journal may be in use, but every unacknowledged record is there, once, in order.
            Assert.Equal(unackedBefore, records.Skip(records.Count - unackedBefore.Count).ToList());
            Assert.Equal(records.Distinct().Count(), records.Count);
            Assert.True(records.Count == unackedBefore.Count || records.Count == unackedBefore.Count + n / 2);
        }
    }

    [Fact]
    public void A_retried_append_after_a_failed_write_is_written_exactly_once()
    {
        var storage = new MemoryStorage();
        List<string> committed = Committed(storage, 3);
        var before = storage.Snapshot();
        var record = Record(4, LedgerKind.AggregatorCharge, "D-4");
        long units = storage.UnitsWritten;
        Open(storage).Append(record);
        long cost = storage.UnitsWritten - units;

        for (long budget = 0; budget <= cost + 1; budget++)
        {
            storage.Restore(before);
            var journal = Open(storage);
            storage.WriteBudget = budget;
            bool failed = Cut(() => journal.Append(record));

            // Same process, storage back: the caller retries the same record.
            storage.PowerOn();
            if (failed)
            {
                Assert.Equal(4, journal.Append(record));
            }

            Assert.Equal(4, journal.LastRecordId);
            Assert.Equal([.. committed, Describe(record)], Describe(All(journal)));
            Assert.Equal([.. committed, Describe(record)], Describe(All(Open(storage))));
        }
    }

    [Fact]
    public void A_cut_during_the_first_start_leaves_a_usable_ledger()
    {
        var probe = new MemoryStorage();
        Open(probe);
        long cost = probe.UnitsWritten;
        for (long budget = 0; budget <= cost; budget++)
        {
            var storage = new MemoryStorage { WriteBudget = budget };
            Cut(() => Open(storage));
            storage.PowerOn();
            var journal = Open(storage);
            Assert.Equal(1, journal.Append(Record(1)));
            Assert.Single(All(Open(storage)));
        }
    }

    private static bool Cut(Action write)
    {
        try
        {
            write();
            return false;
        }
        catch (PowerCutException)
        {
            return true;
        }
    }
}
