using ChargerFirmware.Diagnostics;
using ChargerFirmware.Events;
using ChargerFirmware.Faults;
using ChargerFirmware.Persistence;
using ChargerFirmware.TechConsole;
using ChargerFirmware.Tests.Support;
using ChargerFirmware.VirtualHardware;
using Xunit;
using Xunit.Abstractions;

namespace ChargerFirmware.Tests.Storage;

/// <summary>
/// Every file a whole recorded session leaves on flash is damaged, one damage at a time: each of its
/// truncations, a flipped bit in every byte (every bit of the first 64 bytes, where the headers and
/// their checks are), and its deletion; then both dispatch-sequence copies together. For each the whole charger (<c>ChargerApp</c>) boots and ticks, names the
/// damage (the file's load result, the storage-damaged fault and a "storage" notice for the
/// aggregator), and fails closed: no captured order runs again, no one sets a PIN without the old one,
/// no ledger id is given to other content and no Wh is counted twice.
/// </summary>
public class StoredFileDamageTests(ITestOutputHelper output)
{
    private const int EveryBitBytes = 64;
    private const string NewPin = "13572468";

    private static readonly RecordedSession Session = RecordedSession.Run(new MemoryStorage());

    private static MemoryStorage Flash => (MemoryStorage)Session.Rig.Storage;

    [Fact]
    public void The_session_leaves_every_file_the_charger_keeps()
    {
        var files = Flash.Names.Select(RecordedSession.FileOf).Distinct().Order().ToList();
        Assert.Equal(Enumerable.Range(0, StoredFile.Count), files);
    }

    [Fact]
    public void Every_truncation_and_flipped_bit_of_every_stored_file_boots_is_reported_and_fails_closed()
    {
        MemoryStorageSnapshot good = Flash.Snapshot();
        int damages = 0;
        foreach (string name in Flash.Names.ToList())
        {
            byte[] bytes = Flash.GetBytes(name);
            for (int length = 0; length < bytes.Length; length++)
            {
                // Whole entries cut from the event log's newest segment look like a power cut before
                // they were appended: nothing tells them apart (what is left is still checked to boot and fail closed).
                bool detectable = !(name == NewestEventSegment() && length % EventLogStore.FrameLength == 0);
                Check(good, name, $"{name} cut to {length} of {bytes.Length} bytes", f => f.SetBytes(name, bytes[..length]), detectable);
                damages++;
            }

            for (int bit = 0; bit < bytes.Length * 8; bit++)
            {
                if (bit / 8 >= EveryBitBytes && bit % 8 != (bit / 8) % 8)
                {
                    continue;
                }

                Check(good, name, $"{name} bit {bit} flipped", f => f.FlipBit(name, bit), detectable: true);
                damages++;
            }
        }

        output.WriteLine($"{damages} damages of {Flash.Names.Count} files ({string.Join(", ", Flash.Names.Select(n => $"{n} {Flash.Length(n)} B"))})");
    }

    [Fact]
    public void Every_deleted_file_boots_and_fails_closed_and_the_security_state_is_reported_lost()
    {
        MemoryStorageSnapshot good = Flash.Snapshot();
        foreach (string name in Flash.Names.ToList())
        {
            var (rig, _, _) = Restart(good, $"{name} deleted", f => f.Delete(name));
            int file = RecordedSession.FileOf(name);
            if (file == StoredFile.Pin || file == StoredFile.PinLockout || file == StoredFile.LedgerIds)
            {
                // State that must exist once written: its loss is named, never taken for a fresh start.
                Assert.NotEqual(LoadResults.Missing, rig.App.Health.LoadResult(file));
            }
        }

        // Both copies of the dispatch sequence gone: every order issued before the loss was found is refused.
        var (lost, _, _) = Restart(good, "both dispatch.seq copies deleted", f =>
        {
            foreach (string name in f.Names.Where(n => RecordedSession.FileOf(n) == StoredFile.DispatchSeq).ToList())
            {
                f.Delete(name);
            }
        });
        Assert.Equal(LoadResults.Lost, lost.App.Health.LoadResult(StoredFile.DispatchSeq));
        Assert.True(lost.Charger.Faults.IsActive(FaultCode.StorageDamaged));
    }

    // Damages the flash as the session left it, restarts, and checks the promises that hold whatever
    // the damage; a damage that changed what the file says must also be named.
    private static void Check(MemoryStorageSnapshot good, string name, string what, Action<MemoryStorage> damage, bool detectable)
    {
        var (rig, notices, _) = Restart(good, what, damage);

        if (!detectable)
        {
            return;
        }

        int file = RecordedSession.FileOf(name);
        int result = rig.App.Health.LoadResult(file);
        Assert.True(result != LoadResults.Valid, $"{what}: loaded as valid");
        if (LoadResults.IsDamage(result))
        {
            Assert.True(rig.Charger.Faults.IsActive(FaultCode.StorageDamaged), $"{what}: no storage-damaged fault");
        }

        Assert.True(
            notices.Any(e => e.Kind == OutboundKind.StorageReport && e.Int1 == file && e.Int2 == result),
            $"{what}: no storage notice for the aggregator ({LoadResults.Name(result)})");
    }

    // The event log segment whose last entry is the newest (the one the ring appends to).
    private static string NewestEventSegment() => Flash.Names
        .Where(n => RecordedSession.FileOf(n) == StoredFile.EventLog && Flash.Length(n) >= EventLogStore.FrameLength)
        .OrderBy(n => BitConverter.ToInt64(Flash.GetBytes(n), Flash.Length(n) - EventLogStore.FrameLength + 2))
        .Last();

    private static (ChargerRig Rig, List<ControlEvent> Notices, long UnbookedWh) Restart(MemoryStorageSnapshot good, string what, Action<MemoryStorage> damage)
    {
        var flash = new MemoryStorage();
        flash.Restore(good);
        damage(flash);
        var restarted = Session.Restart(flash, exact: false, what);

        // Damaged PIN state never opens the console: no new PIN without the old one, the old one still needed.
        TechnicianAuth auth = restarted.Rig.App.Auth;
        Assert.True(auth.SetPin(NewPin) != AuthResults.Ok && !auth.LoggedIn, $"{what}: a new PIN was set without the old one");
        return restarted;
    }
}
