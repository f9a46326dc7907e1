using ChargerFirmware.Conditions;
using ChargerFirmware.Persistence;
using ChargerFirmware.Protocol.Messages;
using Xunit;

namespace ChargerFirmware.Tests.Conditions;

public class PresetStoreTests
{
    private const string File = PresetStore.DefaultFileName;

    private static ChargingConditions Custom(string name, int kept = 650)
    {
        var conditions = new ChargingConditions(name, kept, 30_000, 10_000, false, Settlement.Payout);
        conditions.Windows.Add(DayMasks.Weekdays, 22 * 60, 6 * 60);
        conditions.Windows.Add(DayMasks.Weekend, 0, TimeWindows.MinutesPerDay);
        return conditions;
    }

    private static PresetStore SavedStore(FakeStorage storage)
    {
        var store = new PresetStore(storage, File, Settlement.Offset);
        Assert.Equal(3, store.AddOrReplace(Custom("night")));
        Assert.Equal(4, store.AddOrReplace(Custom("weekend", 700)));
        Assert.True(store.SetDefault(4));
        Assert.True(store.Save());
        return store;
    }

    private static void AssertOnlyBuiltIns(PresetStore store)
    {
        Assert.Equal(PresetStore.BuiltInCount, store.Count);
        Assert.Equal(PresetStore.Balanced, store.DefaultIndex);
        Assert.Equal(-1, store.IndexOf("night"));
    }

    [Fact]
    public void The_built_ins_are_cautious_balanced_and_leave_it_to_the_aggregator()
    {
        var store = new PresetStore(new FakeStorage(), File, Settlement.Points);

        var cautious = store.Get(PresetStore.Cautious);
        Assert.Equal(("cautious", 800, 40_000, 12_000, false), (cautious.Name, cautious.KeptSocPermille, cautious.MinSellPriceMilli, cautious.MaxBuyPriceMilli, cautious.Delegated));
        var balanced = store.Get(PresetStore.Balanced);
        Assert.Equal(("balanced", 500, 25_000, 15_000, false), (balanced.Name, balanced.KeptSocPermille, balanced.MinSellPriceMilli, balanced.MaxBuyPriceMilli, balanced.Delegated));
        var delegated = store.Get(PresetStore.LeaveToAggregator);
        Assert.Equal(("leave-to-aggregator", 300, true), (delegated.Name, delegated.KeptSocPermille, delegated.Delegated));

        Assert.All(Enumerable.Range(0, 3), i => Assert.Equal(Settlement.Points, store.Get(i).Settlement));
        Assert.All(Enumerable.Range(0, 3), i => Assert.Equal(0, store.Get(i).Windows.Count));
        Assert.All(Enumerable.Range(0, 3), i => Assert.Equal(ConditionErrors.None, store.Get(i).Validate()));
        Assert.Equal(PresetStore.Balanced, store.DefaultIndex);
    }

    [Fact]
    public void A_missing_file_gives_the_built_ins_without_a_fault()
    {
        var store = new PresetStore(new FakeStorage(), File, Settlement.Offset);
        Assert.Equal(LoadResults.Missing, store.Load());
        Assert.False(store.Fault);
        AssertOnlyBuiltIns(store);
    }

    [Fact]
    public void Custom_presets_and_the_default_survive_a_restart()
    {
        var storage = new FakeStorage();
        SavedStore(storage);

        var reloaded = new PresetStore(storage, File, Settlement.Offset);
        Assert.Equal(LoadResults.Valid, reloaded.Load());
        Assert.False(reloaded.Fault);
        Assert.Equal(5, reloaded.Count);
        Assert.Equal(4, reloaded.DefaultIndex);
        var night = reloaded.Get(reloaded.IndexOf("night"));
        Assert.Equal((650, 30_000, 10_000, false, Settlement.Payout), (night.KeptSocPermille, night.MinSellPriceMilli, night.MaxBuyPriceMilli, night.Delegated, night.Settlement));
        Assert.Equal(2, night.Windows.Count);
        Assert.Equal((DayMasks.Weekdays, 1320, 360), (night.Windows.DayMask(0), night.Windows.StartMinute(0), night.Windows.EndMinute(0)));
        Assert.Equal((DayMasks.Weekend, 0, 1440), (night.Windows.DayMask(1), night.Windows.StartMinute(1), night.Windows.EndMinute(1)));
        Assert.Equal(700, reloaded.Get(4).KeptSocPermille);
    }

    [Fact]
    public void A_corrupt_file_gives_the_built_ins_and_a_fault()
    {
        var storage = new FakeStorage();
        SavedStore(storage);
        storage.Files[File][CheckedFile.HeaderLength + 3] ^= 0x40;

        var store = new PresetStore(storage, File, Settlement.Offset);
        Assert.Equal(LoadResults.Corrupt, store.Load());
        Assert.True(store.Fault);
        AssertOnlyBuiltIns(store);
    }

    [Fact]
    public void A_truncated_file_gives_the_built_ins_and_a_fault()
    {
        var storage = new FakeStorage();
        SavedStore(storage);
        storage.Truncate(File, storage.Length(File) - 5);

        var store = new PresetStore(storage, File, Settlement.Offset);
        Assert.Equal(LoadResults.Corrupt, store.Load());
        Assert.True(store.Fault);
        AssertOnlyBuiltIns(store);
    }

    [Fact]
    public void A_file_of_another_version_gives_the_built_ins_and_a_fault()
    {
        var storage = new FakeStorage();
        new CheckedFile(storage, File).Write(PresetStore.FormatVersion + 1, [1, 0], 2);

        var store = new PresetStore(storage, File, Settlement.Offset);
        Assert.Equal(LoadResults.WrongVersion, store.Load());
        Assert.True(store.Fault);
        AssertOnlyBuiltIns(store);
    }

    [Theory]
    [InlineData(new byte[] { })]                 // no header
    [InlineData(new byte[] { 9, 0 })]            // default index past the list
    [InlineData(new byte[] { 1, 9 })]            // more custom presets than fit
    [InlineData(new byte[] { 1, 1, 3, 0x62, 0x61, 0x64, 0, 0, 0, 0, 0, 0, 0, 0, 0xD1, 0x07, 0, 1, 0 })] // floor 2001 per-mille
    [InlineData(new byte[] { 1, 1, 3, 0x62, 0x61, 0x64, 0, 0, 0, 0, 0, 0, 0, 0, 0xF4, 0x01, 0, 1, 1, 0, 0, 0, 0, 0 })] // window with mask 0
    [InlineData(new byte[] { 1, 1, 8, 0x62, 0x61, 0x6C, 0x61, 0x6E, 0x63, 0x65, 0x64, 0, 0, 0, 0, 0, 0, 0, 0, 0xF4, 0x01, 0, 1, 0 })] // shadows a built-in
    [InlineData(new byte[] { 1, 0, 7 })]         // trailing bytes
    public void A_file_with_valid_CRC_but_invalid_content_is_refused_whole(byte[] payload)
    {
        var storage = new FakeStorage();
        new CheckedFile(storage, File).Write(PresetStore.FormatVersion, payload, payload.Length);

        var store = new PresetStore(storage, File, Settlement.Offset);
        Assert.Equal(LoadResults.Invalid, store.Load());
        Assert.True(store.Fault);
        AssertOnlyBuiltIns(store);
    }

    [Fact]
    public void A_hand_built_payload_in_the_documented_format_loads()
    {
        // The invalid payloads above differ from this one in a single field each.
        byte[] payload = [3, 1, 3, 0x62, 0x61, 0x64, 0x10, 0x27, 0, 0, 0x20, 0x4E, 0, 0, 0xF4, 0x01, 1, 3, 1, 0x3E, 0x28, 0x05, 0x68, 0x01];
        var storage = new FakeStorage();
        new CheckedFile(storage, File).Write(PresetStore.FormatVersion, payload, payload.Length);

        var store = new PresetStore(storage, File, Settlement.Offset);
        Assert.Equal(LoadResults.Valid, store.Load());
        var loaded = store.Get(3);
        Assert.Equal(("bad", 10_000, 20_000, 500, true, Settlement.Payout), (loaded.Name, loaded.MinSellPriceMilli, loaded.MaxBuyPriceMilli, loaded.KeptSocPermille, loaded.Delegated, loaded.Settlement));
        Assert.Equal((DayMasks.Weekdays, 1320, 360), (loaded.Windows.DayMask(0), loaded.Windows.StartMinute(0), loaded.Windows.EndMinute(0)));
        Assert.Equal(3, store.DefaultIndex);
    }

    [Fact]
    public void A_read_error_gives_the_built_ins_and_a_fault()
    {
        var storage = new FakeStorage();
        SavedStore(storage);
        storage.ThrowOnRead = true;

        var store = new PresetStore(storage, File, Settlement.Offset);
        Assert.Equal(LoadResults.ReadFailed, store.Load());
        Assert.True(store.Fault);
        AssertOnlyBuiltIns(store);
    }

    [Fact]
    public void A_power_cut_during_save_leaves_the_previous_presets_in_use()
    {
        var storage = new FakeStorage();
        var store = SavedStore(storage);
        store.AddOrReplace(Custom("third"));
        for (int cut = 0; cut < storage.Length(File) + 20; cut += 7)
        {
            storage.CutPowerAfterBytes = cut;
            Assert.False(store.Save());
            Assert.True(store.Fault);

            var reloaded = new PresetStore(storage, File, Settlement.Offset);
            Assert.Equal(LoadResults.Valid, reloaded.Load());
            Assert.Equal(5, reloaded.Count);
            Assert.Equal(-1, reloaded.IndexOf("third"));
        }

        Assert.True(store.Save());
        Assert.False(store.Fault);
    }

    [Fact]
    public void A_torn_file_on_a_medium_without_atomic_replace_is_never_half_applied()
    {
        var storage = new FakeStorage { Atomic = false };
        var store = SavedStore(storage);
        store.AddOrReplace(Custom("third"));
        int fullLength = storage.Length(File) + 23;
        for (int cut = 0; cut < fullLength; cut++)
        {
            storage.CutPowerAfterBytes = cut;
            Assert.False(store.Save());

            var reloaded = new PresetStore(storage, File, Settlement.Offset);
            int result = reloaded.Load();
            Assert.Equal(LoadResults.Corrupt, result);
            AssertOnlyBuiltIns(reloaded);
        }
    }

    [Fact]
    public void Built_in_names_invalid_conditions_and_a_full_list_are_refused()
    {
        var store = new PresetStore(new FakeStorage(), File, Settlement.Offset);
        Assert.Equal(-1, store.AddOrReplace(Custom("balanced")));
        Assert.Equal(-1, store.AddOrReplace(Custom("bad", 1001)));
        for (int i = 0; i < PresetStore.MaxCustom; i++)
        {
            Assert.Equal(PresetStore.BuiltInCount + i, store.AddOrReplace(Custom("c" + i)));
        }

        Assert.Equal(-1, store.AddOrReplace(Custom("one-too-many")));
        Assert.Equal(PresetStore.BuiltInCount + 2, store.AddOrReplace(Custom("c2", 900)));
        Assert.Equal(900, store.Get(PresetStore.BuiltInCount + 2).KeptSocPermille);
    }

    [Fact]
    public void Removing_a_custom_preset_keeps_the_default_pointing_at_the_same_preset()
    {
        var store = new PresetStore(new FakeStorage(), File, Settlement.Offset);
        store.AddOrReplace(Custom("a"));
        store.AddOrReplace(Custom("b"));
        store.SetDefault(store.IndexOf("b"));

        Assert.False(store.Remove("cautious"));
        Assert.False(store.Remove("nope"));
        Assert.True(store.Remove("a"));
        Assert.Equal("b", store.Get(store.DefaultIndex).Name);
        Assert.True(store.Remove("b"));
        Assert.Equal(PresetStore.Balanced, store.DefaultIndex);
        Assert.Equal(PresetStore.BuiltInCount, store.Count);
    }

    [Fact]
    public void Next_cycles_through_every_preset()
    {
        var store = new PresetStore(new FakeStorage(), File, Settlement.Offset);
        store.AddOrReplace(Custom("mine"));
        Assert.Equal([2, 3, 0, 1], new[] { 1, 2, 3, 0 }.Select(store.Next));
        Assert.Equal(0, store.Next(-1));
        Assert.False(store.SetDefault(4));
        Assert.False(store.SetDefault(-1));
    }

    [Fact]
    public void Load_result_names_are_explicit()
    {
        Assert.Equal(["not-loaded", "valid", "missing", "corrupt", "wrong-version", "invalid", "read-failed"],
            Enumerable.Range(0, 7).Select(LoadResults.Name));
    }
}
