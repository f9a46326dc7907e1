using ChargerFirmware.Drivers.Rcd;
using ChargerFirmware.VirtualHardware;
using Xunit;
using R = ChargerFirmware.Drivers.SelfTestResult;
using Step = ChargerFirmware.Drivers.Rcd.RcdSelfTestStep;

namespace ChargerFirmware.Tests.Drivers;

public class RcdSelfTestTests
{
    /// <summary>A monitor that trips and clears on a schedule relative to the test drive.</summary>
    private sealed class SlowRcd(long tripAfterMs, long clearAfterMs, ManualClock clock) : IResidualCurrentMonitor
    {
        private long _drivenAtMs = -1;
        private long _releasedAtMs = -1;

        public bool Tripped =>
            _drivenAtMs >= 0 && clock.MonotonicMs - _drivenAtMs >= tripAfterMs
            && (_releasedAtMs < 0 || clock.MonotonicMs - _releasedAtMs < clearAfterMs);

        public void DriveTest(bool on)
        {
            if (on)
            {
                _drivenAtMs = clock.MonotonicMs;
            }
            else
            {
                _releasedAtMs = clock.MonotonicMs;
            }
        }
    }

    private static int RunTicks(RcdSelfTest test, ManualClock clock, int tickMs, int maxTicks)
    {
        int result = test.Start(clock.MonotonicMs);
        for (int i = 0; i < maxTicks && result == R.Running; i++)
        {
            clock.Advance(tickMs);
            result = test.Step(clock.MonotonicMs);
        }

        return result;
    }

    [Fact]
    public void A_healthy_monitor_passes_and_the_winding_ends_released()
    {
        var rcd = new VirtualRcd();
        var test = new RcdSelfTest(rcd);
        Assert.Equal(R.Idle, test.Result);

        Assert.Equal(R.Running, test.Start(0));
        Assert.True(rcd.TestDriven);
        Assert.Equal(R.Running, test.Step(0)); // tripped: winding released, waiting for the clear
        Assert.False(rcd.TestDriven);
        Assert.Equal(R.Passed, test.Step(10));
        Assert.Equal(Step.None, test.FailedStep);
        Assert.Equal(1, rcd.TestsDriven);
    }

    [Fact]
    public void Default_deadlines_are_100_and_500_ms()
    {
        var test = new RcdSelfTest(new VirtualRcd());
        Assert.Equal(100, test.TripDeadlineMs);
        Assert.Equal(500, test.ClearDeadlineMs);
    }

    [Fact]
    public void An_already_tripped_monitor_fails_before_the_test_current()
    {
        var rcd = new VirtualRcd { ResidualCurrent = true };
        var test = new RcdSelfTest(rcd);
        Assert.Equal(R.Failed, test.Start(0));
        Assert.Equal(Step.ClearBeforeTest, test.FailedStep);
        Assert.Equal(0, rcd.TestsDriven);
        Assert.Equal(R.Failed, test.Step(1_000));
    }

    [Fact]
    public void A_broken_self_test_fails_at_the_trip_deadline_and_releases_the_winding()
    {
        var rcd = new VirtualRcd { SelfTestBroken = true };
        var test = new RcdSelfTest(rcd);
        test.Start(0);
        Assert.Equal(R.Running, test.Step(99));
        Assert.True(rcd.TestDriven);
        Assert.Equal(R.Failed, test.Step(100));
        Assert.Equal(Step.TripOnTest, test.FailedStep);
        Assert.False(rcd.TestDriven);
    }

    [Fact]
    public void A_trip_that_does_not_clear_fails_at_the_clear_deadline()
    {
        var rcd = new VirtualRcd();
        var test = new RcdSelfTest(rcd);
        test.Start(0);
        rcd.ResidualCurrent = true; // stays tripped after the winding is released
        Assert.Equal(R.Running, test.Step(20));
        Assert.Equal(R.Running, test.Step(519));
        Assert.Equal(R.Failed, test.Step(520));
        Assert.Equal(Step.ClearAfterTest, test.FailedStep);
        Assert.False(rcd.TestDriven);
    }

    [Theory]
    [InlineData(30, 200, 10, R.Passed)]
    [InlineData(100, 200, 10, R.Passed)] // trip seen exactly at the deadline tick counts
    [InlineData(110, 200, 10, R.Failed)]
    [InlineData(30, 500, 10, R.Passed)]
    [InlineData(30, 510, 10, R.Failed)]
    public void Slow_monitors_pass_or_fail_by_the_deadlines(int tripAfterMs, int clearAfterMs, int tickMs, int expected)
    {
        var clock = new ManualClock();
        var test = new RcdSelfTest(new SlowRcd(tripAfterMs, clearAfterMs, clock));
        Assert.Equal(R.Name(expected), R.Name(RunTicks(test, clock, tickMs, 200)));
    }

    [Fact]
    public void Deadlines_are_configurable()
    {
        var clock = new ManualClock();
        var test = new RcdSelfTest(new SlowRcd(150, 50, clock), 200, 100);
        Assert.Equal(R.Passed, RunTicks(test, clock, 10, 100));
    }

    [Fact]
    public void Start_while_running_carries_on_and_a_finished_test_can_run_again()
    {
        var rcd = new VirtualRcd { SelfTestBroken = true };
        var test = new RcdSelfTest(rcd);
        test.Start(0);
        Assert.Equal(R.Running, test.Start(50));
        Assert.Equal(R.Failed, test.Step(100));

        rcd.SelfTestBroken = false;
        Assert.Equal(R.Running, test.Start(1_000));
        Assert.Equal(Step.None, test.FailedStep);
        test.Step(1_000);
        Assert.Equal(R.Passed, test.Step(1_010));
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        Assert.Throws<ArgumentNullException>(() => new RcdSelfTest(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RcdSelfTest(new VirtualRcd(), 0, 500));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RcdSelfTest(new VirtualRcd(), 100, 0));
    }

    [Theory]
    [InlineData(R.Idle, "idle")]
    [InlineData(R.Running, "running")]
    [InlineData(R.Passed, "passed")]
    [InlineData(R.Failed, "failed")]
    [InlineData(9, "unknown")]
    public void Results_have_readable_names(int result, string name)
    {
        Assert.Equal(name, R.Name(result));
    }

    [Theory]
    [InlineData(Step.None, "none")]
    [InlineData(Step.ClearBeforeTest, "clear-before-test")]
    [InlineData(Step.TripOnTest, "trip-on-test")]
    [InlineData(Step.ClearAfterTest, "clear-after-test")]
    [InlineData(9, "unknown")]
    public void Steps_have_readable_names(int step, string name)
    {
        Assert.Equal(name, Step.Name(step));
    }
}
