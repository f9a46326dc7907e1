using ChargerFirmware.Control;
using ChargerFirmware.Events;
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
        var inbox = new EventQueue(16); // room for every post: the body never takes them
        var body = new CountingBody();
        var loop = new ControlLoop(body, new ManualClock(), 60_000, inbox);
        loop.Start();
        try
        {
            Assert.True(SpinWait.SpinUntil(() => body.Ticks >= 1, 10_000), "no first tick");
            Assert.Equal(1, body.Ticks);
            for (int extra = 1; extra <= ControlLoop.MaxExtraTicks; extra++)
            {
                inbox.Post(ControlEventKind.PanelTap, 1, 0, null, null);
                int expected = 1 + extra;
                Assert.True(SpinWait.SpinUntil(() => body.Ticks >= expected, 10_000), $"no tick after post {extra}");
            }

            // This period's extra ticks are used up: a further post waits for the period.
            inbox.Post(ControlEventKind.PanelTap, 1, 0, null, null);
            Thread.Sleep(300);
            Assert.Equal(1 + ControlLoop.MaxExtraTicks, body.Ticks);
        }
        finally
        {
            loop.Stop(); // ends the wait at once, not after the period
        }

        Assert.False(loop.IsAlive);
    }
}
