using ChargerFirmware.Control;
using ChargerFirmware.VirtualHardware;
using Xunit;

namespace ChargerFirmware.Tests.Control;

public class ControlLoopTests
{
    private sealed class CountingBody : ITickable
    {
        private int _ticks;

        public int Ticks => Volatile.Read(ref _ticks);

        public void Tick() => Interlocked.Increment(ref _ticks);
    }

    [Fact]
    public void A_post_between_ticks_brings_one_tick_forward()
    {
        // A period far longer than the test: only a woken tick can explain the second tick.
        var inbox = new EventQueue(4);
        var body = new CountingBody();
        var loop = new ControlLoop(body, new ManualClock(), 60_000, inbox);
        loop.Start();
        try
        {
            SpinWait.SpinUntil(() => body.Ticks >= 1, 10_000);
            Assert.Equal(1, body.Ticks);
            inbox.Post(ControlEventKind.PanelTap, 1, 0, null, null);
            Assert.True(SpinWait.SpinUntil(() => body.Ticks >= 2, 10_000), "no tick after the post");

            // The extra tick was this period's only one: a second post waits for the period.
            inbox.Post(ControlEventKind.PanelTap, 1, 0, null, null);
            Thread.Sleep(200);
            Assert.Equal(2, body.Ticks);
        }
        finally
        {
            loop.Stop(); // ends the wait at once, not after the period
        }

        Assert.False(loop.IsAlive);
    }
}
