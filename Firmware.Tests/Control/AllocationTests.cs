using ChargerFirmware.Tests.Support;
using Xunit;
using States = ChargerFirmware.Protocol.Messages.ChargerState;

namespace ChargerFirmware.Tests.Control;

/// <summary>
/// The device's GC stops the world, so a steady control tick must allocate nothing. Counted on
/// the host over many ticks with the allocation counter of the test's thread.
/// </summary>
public class AllocationTests
{
    private const int Ticks = 5_000;

    private static long AllocatedOver(ChargerRig rig, Action? perTick = null)
    {
        rig.Step(50); // warm up: first-use paths (JIT, statics) are not steady state
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Ticks; i++)
        {
            perTick?.Invoke();
            rig.Step();
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void An_idle_tick_allocates_nothing()
    {
        var rig = new ChargerRig();
        Assert.Equal(0, AllocatedOver(rig));
        Assert.Equal(States.Idle, rig.State);
    }

    [Fact]
    public void A_charging_tick_allocates_nothing()
    {
        var rig = new ChargerRig();
        rig.PlugIn(allow: false);
        rig.RunMs(5_000);
        Assert.Equal(0, AllocatedOver(rig));
        Assert.Equal(States.Charging, rig.State);
    }

    [Fact]
    public void A_discharging_tick_allocates_nothing()
    {
        var rig = new ChargerRig();
        rig.ReportVehicle(800);
        rig.PlugIn(allow: true);
        rig.SendPrices(buyMilli: 12_000, sellMilli: 30_000);
        rig.SendDispatch(-3_000);
        rig.RunMs(5_000);
        Assert.Equal(States.Discharging, rig.State);
        Assert.Equal(-3_000, rig.Converter.SetpointW);
        rig.DrainOutbox();

        long allocated = AllocatedOver(rig, () => rig.Modem.Reading.SocReadAtMs = rig.Clock.MonotonicMs);
        Assert.Equal(0, allocated);
        Assert.Equal(States.Discharging, rig.State);
    }
}
