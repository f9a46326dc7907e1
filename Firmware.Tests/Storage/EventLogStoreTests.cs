using ChargerFirmware.Diagnostics;
using ChargerFirmware.Persistence;
using ChargerFirmware.VirtualHardware;
using Xunit;

namespace ChargerFirmware.Tests.Storage;

/// <summary>
/// The event log's flash ring: the newest entries survive a restart and the sequence goes on; every
/// flipped bit and truncation of either segment of a ring that has moved on loads without throwing,
/// never shows an entry with other content, and is reported, except whole entries cut from the newest
/// segment's end (the same bytes a power cut before those appends leaves).
/// </summary>
public class EventLogStoreTests
{
    private const int Capacity = 4;

    private static (MemoryStorage Flash, ManualClock Clock) Written(int entries)
    {
        var flash = new MemoryStorage();
        var clock = new ManualClock();
        var log = new EventLog(Capacity, clock);
        var store = new EventLogStore(flash, Capacity, new StorageHealth());
        store.Load(log);
        for (int i = 1; i <= entries; i++)
        {
            clock.Advance(1_000);
            log.Add(LogCodes.FaultRaised, i, -i, "entry " + i);
            Assert.True(store.Persist(log));
        }

        return (flash, clock);
    }

    private static (EventLog Log, int Result) Load(MemoryStorage flash, ManualClock clock)
    {
        var log = new EventLog(Capacity, clock);
        var health = new StorageHealth();
        new EventLogStore(flash, Capacity, health).Load(log);
        return (log, health.LoadResult(StoredFile.EventLog));
    }

    private static List<EventLogEntry> Entries(EventLog log)
    {
        var list = new List<EventLogEntry>();
        for (int age = log.Count - 1; age >= 0; age--)
        {
            var entry = new EventLogEntry();
            Assert.True(log.Copy(age, entry));
            list.Add(entry);
        }

        return list;
    }

    [Fact]
    public void The_newest_entries_survive_a_restart_and_the_sequence_goes_on()
    {
        var (flash, clock) = Written(10);
        Assert.Equal(["events.0", "events.1"], flash.Names.Order());

        var (log, result) = Load(flash, clock);
        Assert.Equal(LoadResults.Valid, result);
        Assert.Equal([7L, 8L, 9L, 10L], Entries(log).Select(e => e.Sequence));
        Assert.Equal("entry 10", Entries(log)[^1].Text);
        log.Add(LogCodes.FaultRaised, 11, 0, null);
        Assert.Equal(11, Entries(log)[^1].Sequence);
    }

    [Fact]
    public void Every_flipped_bit_and_truncation_of_either_segment_is_reported_and_shows_nothing_false()
    {
        // 10 entries: events.0 holds 9-10 (the newest, appended to), events.1 holds 5-8 (full, older).
        var (flash, clock) = Written(10);
        MemoryStorageSnapshot good = flash.Snapshot();
        int checkedDamages = 0;
        foreach (string name in flash.Names.ToList())
        {
            byte[] bytes = flash.GetBytes(name);
            var damages = new List<(string What, Action<MemoryStorage> Damage, bool Detectable)>();
            for (int length = 0; length < bytes.Length; length++)
            {
                int cut = length;
                bool wholeNewest = name == "events.0" && cut > 0 && cut % EventLogStore.FrameLength == 0;
                damages.Add(($"{name} cut to {cut}", f => f.SetBytes(name, bytes[..cut]), !wholeNewest));
            }

            for (int bit = 0; bit < bytes.Length * 8; bit++)
            {
                int flipped = bit;
                damages.Add(($"{name} bit {flipped}", f => f.FlipBit(name, flipped), true));
            }

            foreach (var (what, damage, detectable) in damages)
            {
                var copy = new MemoryStorage();
                copy.Restore(good);
                damage(copy);
                var (log, result) = Load(copy, clock);
                foreach (EventLogEntry e in Entries(log))
                {
                    Assert.True(e.Arg1 == e.Sequence && e.Arg2 == -e.Sequence && e.Text == "entry " + e.Sequence, $"{what}: entry {e.Sequence} shows other content");
                }

                if (detectable)
                {
                    Assert.True(result != LoadResults.Valid, $"{what}: loaded as valid");
                }

                checkedDamages++;
            }
        }

        Assert.True(checkedDamages > 2_000, $"{checkedDamages} damages");
    }
}
