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
    public void A_post_between_ticks_brings_a_tick_forward_a_few_times_per_period()
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

            // Only a few posts per period bring ticks forward; the rest wait for the period.
            for (int i = 1; i < ControlLoop.MaxExtraTicks + 3; i++)
            {
                inbox.Post(ControlEventKind.PanelTap, 1, 0, null, null);
                SpinWait.SpinUntil(() => body.Ticks >= 2 + i, 500);
            }

            Assert.Equal(1 + ControlLoop.MaxExtraTicks, body.Ticks);
        }
        finally
        {
            loop.Stop(); // ends the wait at once, not after the period
        }

        Assert.False(loop.IsAlive);
    }
}
