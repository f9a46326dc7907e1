using ChargerFirmware.Drivers.Contactor;
using ChargerFirmware.VirtualHardware;
using Xunit;
using C = ChargerFirmware.Drivers.Contactor.ContactorStatus;

namespace ChargerFirmware.Tests.Drivers;

public class ContactorMonitorTests
{
    [Fact]
    public void Default_timeouts_are_1000_and_500_ms()
    {
        var monitor = new ContactorMonitor();
        Assert.Equal(1000, monitor.WeldTimeoutMs);
        Assert.Equal(500, monitor.CloseTimeoutMs);
        Assert.Equal(C.Ok, monitor.Status);
    }

    [Fact]
    public void A_contactor_that_follows_its_command_stays_ok()
    {
        var monitor = new ContactorMonitor();
        for (long t = 0; t < 10_000; t += 10)
        {
            bool closed = t / 2_000 % 2 == 1;
            Assert.Equal(C.Ok, monitor.Update(closed, closed, t));
        }
    }

    [Fact]
    public void Feedback_closed_1_s_after_opening_is_a_weld()
    {
        var monitor = new ContactorMonitor();
        monitor.Update(true, true, 0);
        Assert.Equal(C.Ok, monitor.Update(false, true, 5_000));
        Assert.Equal(C.Ok, monitor.Update(false, true, 5_999));
        Assert.Equal(C.Welded, monitor.Update(false, true, 6_000));
    }

    [Fact]
    public void Feedback_open_500_ms_after_closing_is_a_failure_to_close()
    {
        var monitor = new ContactorMonitor();
        monitor.Update(false, false, 0);
        Assert.Equal(C.Ok, monitor.Update(true, false, 1_000));
        Assert.Equal(C.Ok, monitor.Update(true, false, 1_499));
        Assert.Equal(C.FailedToClose, monitor.Update(true, false, 1_500));
    }

    [Fact]
    public void A_slow_but_working_contactor_is_ok()
    {
        var monitor = new ContactorMonitor();
        monitor.Update(true, false, 0);
        monitor.Update(true, false, 499);
        Assert.Equal(C.Ok, monitor.Update(true, true, 499));
        monitor.Update(false, true, 1_000);
        monitor.Update(false, true, 1_999);
        Assert.Equal(C.Ok, monitor.Update(false, false, 1_999));
        Assert.Equal(C.Ok, monitor.Update(false, false, 10_000));
    }

    [Fact]
    public void Dropping_open_while_commanded_closed_counts_from_the_drop()
    {
        var monitor = new ContactorMonitor();
        monitor.Update(true, true, 0);
        Assert.Equal(C.Ok, monitor.Update(true, false, 60_000));
        Assert.Equal(C.Ok, monitor.Update(true, false, 60_499));
        Assert.Equal(C.FailedToClose, monitor.Update(true, false, 60_500));
    }

    [Fact]
    public void A_fault_latches_until_reset()
    {
        var monitor = new ContactorMonitor();
        monitor.Update(false, true, 0);
        monitor.Update(false, true, 1_000);
        Assert.Equal(C.Welded, monitor.Update(false, false, 1_010));
        Assert.Equal(C.Welded, monitor.Update(true, true, 2_000));

        monitor.Reset();
        Assert.Equal(C.Ok, monitor.Status);
        Assert.Equal(C.Ok, monitor.Update(false, true, 3_000));
        Assert.Equal(C.Welded, monitor.Update(false, true, 4_000));
    }

    [Fact]
    public void Timeouts_are_configurable_and_checked()
    {
        var monitor = new ContactorMonitor(200, 100);
        monitor.Update(true, false, 0);
        Assert.Equal(C.FailedToClose, monitor.Update(true, false, 100));

        Assert.Throws<ArgumentOutOfRangeException>(() => new ContactorMonitor(0, 500));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ContactorMonitor(1000, 0));
    }

    [Fact]
    public void Detects_a_virtual_weld_and_a_virtual_stuck_open_contactor_over_time()
    {
        var clock = new ManualClock();
        var contactor = new VirtualContactor(clock, 30, 20);
        var monitor = new ContactorMonitor();

        int Run(bool command, int ms)
        {
            contactor.Drive(command);
            int status = C.Ok;
            for (int i = 0; i < ms / 10; i++)
            {
                status = monitor.Update(contactor.Driven, contactor.FeedbackClosed, clock.MonotonicMs);
                clock.Advance(10);
            }

            return status;
        }

        Assert.Equal(C.Ok, Run(true, 2_000));
        Assert.Equal(C.Ok, Run(false, 2_000));
        Assert.Equal(C.Ok, Run(true, 2_000));
        contactor.Welded = true;
        Assert.Equal(C.Welded, Run(false, 2_000));

        monitor.Reset();
        contactor.Welded = false;
        contactor.StuckOpen = true;
        Assert.Equal(C.FailedToClose, Run(true, 2_000));
    }

    [Fact]
    public void Update_does_not_allocate()
    {
        var monitor = new ContactorMonitor();
        monitor.Update(true, true, 0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            monitor.Update(i % 200 < 100, i % 200 < 95, i);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        Assert.Equal(C.Ok, monitor.Status);
    }

    [Theory]
    [InlineData(C.Ok, "ok")]
    [InlineData(C.Welded, "welded")]
    [InlineData(C.FailedToClose, "failed-to-close")]
    [InlineData(7, "unknown")]
    public void Statuses_have_readable_names(int status, string name)
    {
        Assert.Equal(name, C.Name(status));
    }
}
