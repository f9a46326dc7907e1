using ChargerFirmware.Conditions;
using ChargerFirmware.Persistence;
using ChargerFirmware.Protocol.Messages;
using Xunit;

namespace ChargerFirmware.Tests.Conditions;

public class VehicleMemoryTests
{
    private const long T0 = 1_805_000_000_000;
    private readonly FakeStorage _storage = new();

    private VehicleMemory Memory(int capacity = 4) => new(_storage, VehicleMemory.DefaultFileName, capacity);

    private static ChargingConditions Pattern(int keptPermille, int settlement = Settlement.Points)
    {
        var c = new ChargingConditions("my-pattern", keptPermille, 30_000, 9_500, false, settlement);
        c.Windows.Add(DayMasks.Weekdays, 22 * 60, 6 * 60);
        c.Windows.Add(DayMasks.Weekend, 0, TimeWindows.MinutesPerDay);
        return c;
    }

    private static string Describe(ChargingConditions c) =>
        $"{c.Name}|{c.KeptSocPermille}|{c.MinSellPriceMilli}|{c.MaxBuyPriceMilli}|{c.Delegated}|{c.Settlement}|"
        + string.Join(",", Enumerable.Range(0, c.Windows.Count).Select(w => $"{c.Windows.DayMask(w)}:{c.Windows.StartMinute(w)}-{c.Windows.EndMinute(w)}"));

    [Fact]
    public void A_remembered_car_gets_its_conditions_back_after_a_restart()
    {
        var memory = Memory();
        Assert.Equal(LoadResults.Missing, memory.Load());
        Assert.False(memory.Fault);
        Assert.False(memory.Recall("EVCC01", new ChargingConditions()));
        Assert.Equal(VehicleMemoryResults.Ok, memory.Remember("EVCC01", Pattern(650), T0));

        var restarted = Memory();
        Assert.Equal(LoadResults.Valid, restarted.Load());
        Assert.Equal(1, restarted.Count);
        var back = new ChargingConditions();
        Assert.True(restarted.Recall("EVCC01", back));
        Assert.Equal(Describe(Pattern(650)), Describe(back));
        Assert.True(restarted.Contains("EVCC01"));
        Assert.False(restarted.Contains("EVCC02"));
        Assert.True(restarted.Entry(0, back, out string id, out long saved));
        Assert.Equal(("EVCC01", T0), (id, saved));
    }

    [Fact]
    public void Remembering_again_replaces_the_cars_conditions_and_makes_it_the_newest()
    {
        var memory = Memory();
        memory.Remember("A", Pattern(500), T0);
        memory.Remember("B", Pattern(600), T0 + 1);
        memory.Remember("A", Pattern(700), T0 + 2);
        Assert.Equal(2, memory.Count);
        var c = new ChargingConditions();
        Assert.True(memory.Entry(0, c, out string newest, out _));
        Assert.Equal(("A", 700), (newest, c.KeptSocPermille));
        Assert.True(memory.Entry(1, c, out string older, out _));
        Assert.Equal("B", older);
        Assert.False(memory.Entry(2, c, out _, out _));
    }

    [Fact]
    public void A_full_memory_forgets_the_car_saved_longest_ago()
    {
        var memory = Memory(capacity: 3);
        foreach (string car in new[] { "A", "B", "C", "D" })
        {
            Assert.Equal(VehicleMemoryResults.Ok, memory.Remember(car, Pattern(500), T0));
        }

        Assert.Equal(3, memory.Count);
        Assert.False(memory.Contains("A"));
        Assert.True(memory.Contains("B") && memory.Contains("C") && memory.Contains("D"));

        memory.Remember("B", Pattern(550), T0);
        memory.Remember("E", Pattern(500), T0);
        Assert.False(memory.Contains("C"));
        Assert.True(memory.Contains("B"));
    }

    [Fact]
    public void Forgetting_one_car_or_every_car_survives_a_restart()
    {
        var memory = Memory();
        memory.Remember("A", Pattern(500), T0);
        memory.Remember("B", Pattern(600), T0);
        memory.Remember("C", Pattern(700), T0);
        Assert.Equal(VehicleMemoryResults.Ok, memory.Forget("B"));
        Assert.Equal(VehicleMemoryResults.Unknown, memory.Forget("B"));
        var restarted = Memory();
        restarted.Load();
        Assert.Equal(2, restarted.Count);
        var c = new ChargingConditions();
        Assert.True(restarted.Recall("A", c));
        Assert.Equal(500, c.KeptSocPermille);
        Assert.True(restarted.Recall("C", c));
        Assert.Equal(700, c.KeptSocPermille);

        Assert.Equal(VehicleMemoryResults.Ok, restarted.ForgetAll());
        var again = Memory();
        Assert.Equal(LoadResults.Valid, again.Load());
        Assert.Equal(0, again.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("é")]
    public void Ids_and_conditions_must_be_valid(string id)
    {
        var memory = Memory();
        Assert.Equal(VehicleMemoryResults.Invalid, memory.Remember(id, Pattern(500), T0));
        Assert.Equal(VehicleMemoryResults.Invalid, memory.Remember(new string('x', 65), Pattern(500), T0));
        Assert.Equal(VehicleMemoryResults.Invalid, memory.Remember("A", Pattern(1_200), T0));
        Assert.Equal(VehicleMemoryResults.Ok, memory.Remember(new string('x', 64), Pattern(500), T0));
        Assert.False(_storage.Files.ContainsKey(VehicleMemory.DefaultFileName + ".x"));
    }

    [Fact]
    public void A_corrupt_file_counts_as_empty_with_a_fault_and_the_next_save_repairs_it()
    {
        var memory = Memory();
        memory.Remember("A", Pattern(500), T0);
        _storage.Files[VehicleMemory.DefaultFileName][^1] ^= 0x40;
        var restarted = Memory();
        Assert.Equal(LoadResults.Corrupt, restarted.Load());
        Assert.True(restarted.Fault);
        Assert.Equal(0, restarted.Count);
        Assert.False(restarted.Recall("A", new ChargingConditions()));

        Assert.Equal(VehicleMemoryResults.Ok, restarted.Remember("B", Pattern(600), T0));
        Assert.False(restarted.Fault);
        Assert.Equal(1, restarted.Count);
    }

    [Fact]
    public void A_file_with_a_valid_crc_but_nonsense_inside_is_refused_whole()
    {
        var file = new CheckedFile(_storage, VehicleMemory.DefaultFileName);
        // One entry: id "A", saved 0, then conditions with a settlement of 9 (unknown).
        byte[] payload = [1, 1, (byte)'A', 0, 0, 0, 0, 0, 0, 0, 0, 1, (byte)'x', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0];
        file.Write(VehicleMemory.FormatVersion, payload, payload.Length);
        var memory = Memory();
        Assert.Equal(LoadResults.Invalid, memory.Load());
        Assert.True(memory.Fault);

        payload[24] = (byte)Settlement.Offset;
        file.Write(VehicleMemory.FormatVersion, payload, payload.Length);
        Assert.Equal(LoadResults.Valid, Memory().Load());
    }

    [Fact]
    public void A_read_error_counts_as_empty_with_a_fault()
    {
        var memory = Memory();
        memory.Remember("A", Pattern(500), T0);
        _storage.ThrowOnRead = true;
        Assert.Equal(LoadResults.ReadFailed, Memory().Load());
        Assert.False(memory.Recall("A", new ChargingConditions()));
    }

    [Fact]
    public void A_power_cut_while_saving_keeps_the_previous_memory()
    {
        var memory = Memory();
        memory.Remember("A", Pattern(500), T0);
        for (int cut = 0; cut < 80; cut += 7)
        {
            _storage.CutPowerAfterBytes = cut;
            Assert.Equal(VehicleMemoryResults.NotSaved, memory.Remember("B", Pattern(600), T0));
            Assert.True(memory.Fault);
            var restarted = Memory();
            restarted.Load();
            Assert.True(restarted.Contains("A"));
            Assert.False(restarted.Contains("B"));
        }
    }
}
