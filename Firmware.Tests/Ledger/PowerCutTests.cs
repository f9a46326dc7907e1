using ChargerFirmware.Ledger;
using ChargerFirmware.Protocol.Messages;
using ChargerFirmware.Tests.Support;
using ChargerFirmware.VirtualHardware;
using Xunit;

using PilotState = ChargerFirmware.Drivers.Pilot.PilotState;

namespace ChargerFirmware.Tests.Ledger;

/// <summary>
/// The power fails at every tick of a recorded session (plug-in, consent, a discharge order, a
/// charge order, unplug), and in the middle of every tick that writes the flash. After the restart
/// the ledger holds exactly what the converter's own meter counted (recovered energy booked once),
/// every id is unique and no id holds other content than before the cut.
/// </summary>
public class PowerCutTests
{
    private const int TickMs = 100;

    /// <summary>One run of the session, probing after every tick; returns the ticks it took.</summary>
    private static int RunSession(ChargerRig rig, Action<int>? afterTick = null)
    {
        int ticks = 0;
        rig.AfterTick = () =>
        {
            ticks++;
            rig.Modem.Reading.SocReadAtMs = rig.Clock.MonotonicMs;
            afterTick?.Invoke(ticks);
        };
        rig.ReportVehicle(800);
        rig.SendPrices(buyMilli: 12_000, sellMilli: 30_000);
        rig.PlugIn(allow: true);
        rig.SendDispatch(-5_000, durationS: 40);
        rig.RunMs(20_000);
        rig.SendDispatch(3_000, durationS: 30);
        rig.RunMs(20_000);
        rig.SendDispatch(-4_000, durationS: 10);
        rig.RunMs(15_000);
        rig.Pilot.CarState = PilotState.A;
        rig.RunMs(2_000);
        rig.AfterTick = null;
        return ticks;
    }

    private sealed record Moment(MemoryStorageSnapshot Flash, long ImportWms, long ExportWms, long UtcMs, long UnitsWritten);

    [Fact]
    public void A_power_cut_at_every_tick_loses_no_Wh_counts_none_twice_and_reuses_no_id()
    {
        var storage = new MemoryStorage();
        var converter = new InstantConverter();
        var rig = new ChargerRig(c => c.TickMs = TickMs, storage, converter: converter);
        var moments = new List<Moment>();
        int ticks = RunSession(rig, _ => moments.Add(new Moment(storage.Snapshot(), converter.ImportWms, converter.ExportWms, rig.Clock.UtcMs, storage.UnitsWritten)));
        Assert.True(converter.ExportWh > 30 && converter.ImportWh > 10, $"the session moved {converter.ImportWh} / {converter.ExportWh} Wh");
        Assert.Equal(ticks, moments.Count);

        int recovered = 0;
        foreach (Moment moment in moments)
        {
            recovered += RestartAndCheck(moment, $"cut after tick {moments.IndexOf(moment) + 1}");
        }

        Assert.True(recovered > moments.Count / 2, $"recovery records booked after {recovered} of {moments.Count} cuts");
    }

    [Fact]
    public void A_power_cut_in_the_middle_of_every_tick_that_writes_loses_no_Wh_and_reuses_no_id()
    {
        // Which ticks write, and how much: from one clean run.
        var probe = new MemoryStorage();
        var units = new List<long> { 0 };
        var clean = new ChargerRig(c => c.TickMs = TickMs, probe);
        RunSession(clean, _ => units.Add(probe.UnitsWritten));
        var writingTicks = Enumerable.Range(1, units.Count - 1).Where(t => units[t] > units[t - 1]).ToList();
        Assert.True(writingTicks.Count >= 5, $"{writingTicks.Count} ticks write");

        foreach (int tick in writingTicks)
        {
            foreach (long into in new[] { 1, (units[tick] - units[tick - 1]) / 2, units[tick] - units[tick - 1] - 1 })
            {
                var storage = new MemoryStorage();
                var converter = new InstantConverter();
                var rig = new ChargerRig(c => c.TickMs = TickMs, storage, converter: converter);
                Moment? cut = null;
                RunSession(rig, t =>
                {
                    if (t == tick - 1)
                    {
                        storage.WriteBudget = into;
                    }
                    else if (t == tick && cut == null)
                    {
                        // The power went out during this tick's writes: what the flash holds now is all there is.
                        storage.PowerOn();
                        cut = new Moment(storage.Snapshot(), converter.ImportWms, converter.ExportWms, rig.Clock.UtcMs, storage.UnitsWritten);
                        storage.WriteBudget = 0;
                    }
                });
                storage.PowerOn();
                Assert.NotNull(cut);
                RestartAndCheck(cut!, $"cut {into} units into tick {tick}");
            }
        }
    }

    // Boots a new charger on the flash and converter as they were at the cut; returns the recovery records booked.
    private static int RestartAndCheck(Moment cut, string what)
    {
        var storage = new MemoryStorage();
        storage.Restore(cut.Flash);
        var before = SentBefore(cut.Flash);
        var converter = new InstantConverter();
        converter.SetCounters(cut.ImportWms, cut.ExportWms);
        var rig = new ChargerRig(c => c.TickMs = TickMs, storage, converter: converter, clock: new ManualClock(cut.UtcMs));
        rig.Step(10);

        List<LedgerRecord> records = LedgerFixtures.All(rig.Policy.Journal);
        long imported = records.Where(r => LedgerKind.IsImport(r.Kind)).Sum(r => r.Wh);
        long exported = records.Where(r => r.Kind == LedgerKind.AggregatorDischarge).Sum(r => r.Wh);
        Assert.True(converter.ImportWh == imported, $"{what}: ledger imports {imported} Wh, the converter counted {converter.ImportWh}");
        Assert.True(converter.ExportWh == exported, $"{what}: ledger exports {exported} Wh, the converter counted {converter.ExportWh}");
        Assert.True(records.Zip(records.Skip(1)).All(p => p.First.RecordId < p.Second.RecordId), $"{what}: ids not strictly increasing");
        foreach (LedgerRecord r in records)
        {
            Assert.True(!before.TryGetValue(r.RecordId, out string? content) || content == LedgerFixtures.Describe(r), $"{what}: id {r.RecordId} holds other content than before the cut");
        }

        Assert.All(records.Where(r => r.Recovered), r => Assert.Equal((0, 0L), (r.PriceMilliPerKWh == 0 ? 0 : 1, r.AmountMilli)));
        Assert.All(records.Where(r => r.Recovered), r => Assert.Equal(PriceReason.Recovered, r.PriceReason));
        return records.Count(r => r.Recovered);
    }

    // The records on the flash at the cut, as the uplink would have sent them (read from a copy, so the original stays as cut).
    private static Dictionary<long, string> SentBefore(MemoryStorageSnapshot flash)
    {
        var copy = new MemoryStorage();
        copy.Restore(flash);
        var journal = new LedgerJournal(copy, ChargerFirmware.Session.SessionPolicy.LedgerFileName, LedgerJournal.DefaultMaxBytes);
        journal.Open();
        return LedgerFixtures.All(journal).ToDictionary(r => r.RecordId, LedgerFixtures.Describe);
    }
}
