using ChargerFirmware.VirtualHardware;
using Xunit;

namespace ChargerFirmware.Tests.Support;

public class ManualClockTests
{
    [Fact]
    public void Advancing_moves_monotonic_and_wall_time_together()
    {
        var clock = new ManualClock(1_000);
        clock.Advance(250);
        Assert.Equal(250, clock.MonotonicMs);
        Assert.Equal(1_250, clock.UtcMs);
    }

    [Fact]
    public void Time_never_goes_backwards()
    {
        var clock = new ManualClock();
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.Advance(-1));
    }
}
