using ChargerFirmware.Conditions;
using ChargerFirmware.Consent;
using ChargerFirmware.Protocol.Messages;
using ChargerFirmware.Tests.Conditions;
using ChargerFirmware.Tests.Consent;
using Xunit;

namespace ChargerFirmware.Tests.Arbiter;

public class AllocationTests
{
    private const int Ticks = 200_000;

    [Fact]
    public void Deciding_and_ticking_the_consent_allocate_nothing()
    {
        var rig = new ArbiterRig();
        rig.Conditions.Windows.Add(DayMasks.Weekdays, 22 * 60, 6 * 60);
        rig.Conditions.Windows.Add(DayMasks.Weekend, 0, TimeWindows.MinutesPerDay);
        var presets = new PresetStore(new FakeStorage(), PresetStore.DefaultFileName, Settlement.Offset);
        var session = new ConsentSession(new CryptoEntropy(), presets, new ConsentOptions());
        session.Open(0, "VIN");
        session.AnswerFromPanel(0, true);
        var random = new Random(5);
        int[] setpoints = Enumerable.Range(0, 64).Select(_ => random.Next(-9_000, 9_000)).ToArray();
        int[] socs = Enumerable.Range(0, 64).Select(_ => random.Next(400, 700)).ToArray();

        RunTicks(rig, session, setpoints, socs, 1_000); // JIT and first-call work happen here
        long before = GC.GetAllocatedBytesForCurrentThread();
        int checksum = RunTicks(rig, session, setpoints, socs, Ticks);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.NotEqual(0, checksum);
    }

    // Walks through every branch: consent states, SOC fresh/stale/missing, prices, windows, limits, faults.
    private static int RunTicks(ArbiterRig rig, ConsentSession session, int[] setpoints, int[] socs, int ticks)
    {
        var input = rig.In;
        int checksum = 0;
        for (int i = 0; i < ticks; i++)
        {
            rig.Clock.Advance(60_000);
            session.Tick(rig.Clock.MonotonicMs);
            input.ConsentState = (i & 7) == 7 ? ConsentStates.Revoked : (i % 13 == 0 ? ConsentStates.Pending : ConsentStates.Granted);
            input.HasDispatch = (i & 3) != 0;
            input.DispatchSetpointW = setpoints[i & 63];
            input.DispatchHasBuyPrice = (i & 16) != 0;
            input.DispatchHasSellPrice = (i & 32) != 0;
            input.SocPermille = socs[(i * 7) & 63];
            input.SocKnown = i % 29 != 0;
            input.SocAgeMs = i % 31 == 0 ? 90_000 : 500;
            input.SellPriceMilli = 20_000 + ((i * 37) % 10_000);
            input.Fault = i % 97 == 0;
            input.ThermalDeratingPermille = i % 11 == 0 ? 600 : 1000;
            checksum += rig.Tick().SetpointW + session.RemainingSeconds(rig.Clock.MonotonicMs);
        }

        return checksum;
    }
}
