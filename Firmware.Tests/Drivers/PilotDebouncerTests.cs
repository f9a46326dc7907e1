using ChargerFirmware.Drivers.Pilot;
using Xunit;
using S = ChargerFirmware.Drivers.Pilot.PilotState;

namespace ChargerFirmware.Tests.Drivers;

public class PilotDebouncerTests
{
    private static PilotDebouncer SettledIn(int state)
    {
        var debouncer = new PilotDebouncer();
        debouncer.Reset(state);
        return debouncer;
    }

    [Fact]
    public void Starts_invalid_with_the_documented_defaults()
    {
        Assert.Equal(250, PilotDebouncer.DefaultStableMs);
        Assert.Equal(25, PilotDebouncer.DefaultLeaveStableMs);
        Assert.Equal(S.Invalid, new PilotDebouncer().Accepted);
    }

    [Fact]
    public void A_new_state_is_accepted_exactly_when_stable_for_250_ms()
    {
        var debouncer = SettledIn(S.B);
        for (long t = 0; t < 250; t += 10)
        {
            Assert.Equal(S.B, debouncer.Update(S.C, t));
        }

        Assert.Equal(S.B, debouncer.Update(S.C, 249));
        Assert.Equal(S.C, debouncer.Update(S.C, 250));
        Assert.Equal(S.C, debouncer.Accepted);
    }

    [Theory]
    [InlineData(S.C, S.B)]
    [InlineData(S.D, S.B)]
    [InlineData(S.C, S.E)]
    [InlineData(S.C, S.F)]
    [InlineData(S.C, S.Invalid)]
    [InlineData(S.B, S.A)]
    public void A_move_that_removes_power_needs_only_25_ms(int from, int to)
    {
        var debouncer = SettledIn(from);
        Assert.Equal(from, debouncer.Update(to, 1_000));
        Assert.Equal(from, debouncer.Update(to, 1_024));
        Assert.Equal(to, debouncer.Update(to, 1_025));
    }

    [Theory]
    [InlineData(S.C, S.D)]
    [InlineData(S.B, S.D)]
    public void Without_ventilation_a_move_to_D_removes_power(int from, int to)
    {
        var debouncer = SettledIn(from);
        Assert.Equal(from, debouncer.Update(to, 1_000));
        Assert.Equal(to, debouncer.Update(to, 1_025));
    }

    [Theory]
    [InlineData(S.B, S.C)]
    [InlineData(S.B, S.D)]
    [InlineData(S.A, S.B)]
    [InlineData(S.E, S.B)]
    public void A_move_that_grants_power_or_brings_a_vehicle_needs_250_ms(int from, int to)
    {
        var debouncer = SettledIn(from);
        debouncer.DGrantsPower = true;
        Assert.Equal(from, debouncer.Update(to, 1_000));
        Assert.Equal(from, debouncer.Update(to, 1_249));
        Assert.Equal(to, debouncer.Update(to, 1_250));
    }

    [Fact]
    public void Noise_while_leaving_C_does_not_delay_the_loss_of_the_power_request()
    {
        var debouncer = SettledIn(S.C);
        Assert.True(debouncer.PowerRequested);
        debouncer.Update(S.B, 1_000);
        debouncer.Update(S.E, 1_020); // noise: the candidate changes every sample
        Assert.True(debouncer.PowerRequested);
        debouncer.Update(S.Invalid, 1_040);
        Assert.False(debouncer.PowerRequested);
        Assert.Equal(S.C, debouncer.Accepted); // no state is accepted from noise
        debouncer.Update(S.C, 1_060);
        Assert.True(debouncer.PowerRequested); // a C sample ends the leave
    }

    [Fact]
    public void A_move_to_A_needs_only_25_ms()
    {
        var debouncer = SettledIn(S.C);
        Assert.Equal(S.C, debouncer.Update(S.A, 1_000));
        Assert.Equal(S.C, debouncer.Update(S.A, 1_024));
        Assert.Equal(S.A, debouncer.Update(S.A, 1_025));
    }

    [Fact]
    public void A_single_sample_spike_never_changes_the_state_however_long_the_tick()
    {
        var debouncer = SettledIn(S.C);
        long t = 0;
        foreach (int spike in new[] { S.A, S.B, S.E, S.F, S.Invalid, S.D })
        {
            Assert.Equal(S.C, debouncer.Update(spike, t += 1_000));
            Assert.Equal(S.C, debouncer.Update(S.C, t += 1_000));
        }
    }

    [Theory]
    [InlineData(S.B, S.C, 240)] // a bounce towards power shorter than 250 ms
    [InlineData(S.C, S.B, 20)]  // a bounce away from power shorter than 25 ms
    public void Glitches_shorter_than_the_debounce_never_change_the_state(int settled, int glitchState, int glitchMs)
    {
        var debouncer = SettledIn(settled);
        long t = 0;
        for (int glitch = 0; glitch < 50; glitch++)
        {
            for (int ms = 0; ms < glitchMs; ms += 10)
            {
                Assert.Equal(settled, debouncer.Update(glitchState, t));
                t += 10;
            }

            Assert.Equal(settled, debouncer.Update(settled, t));
            t += 10;
        }
    }

    [Fact]
    public void Alternating_raw_states_restart_the_timer_each_time()
    {
        var debouncer = SettledIn(S.B);
        long t = 0;
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(S.B, debouncer.Update(i % 2 == 0 ? S.C : S.D, t));
            t += 100;
        }
    }

    [Fact]
    public void Coming_back_to_the_accepted_state_cancels_a_pending_change()
    {
        var debouncer = SettledIn(S.B);
        debouncer.Update(S.C, 0);
        debouncer.Update(S.C, 200);
        debouncer.Update(S.B, 210);
        Assert.Equal(S.B, debouncer.Update(S.C, 300));
        Assert.Equal(S.B, debouncer.Update(S.C, 549));
        Assert.Equal(S.C, debouncer.Update(S.C, 550));
    }

    [Fact]
    public void Stable_times_are_configurable_and_zero_still_needs_two_samples()
    {
        var debouncer = new PilotDebouncer(100, 0);
        debouncer.Reset(S.B);
        Assert.Equal(S.B, debouncer.Update(S.A, 0));
        Assert.Equal(S.A, debouncer.Update(S.A, 0));
        Assert.Equal(S.A, debouncer.Update(S.B, 10));
        Assert.Equal(S.A, debouncer.Update(S.B, 109));
        Assert.Equal(S.B, debouncer.Update(S.B, 110));
    }

    [Fact]
    public void From_power_up_the_first_state_needs_its_stable_time_too()
    {
        var debouncer = new PilotDebouncer();
        Assert.Equal(S.Invalid, debouncer.Update(S.B, 0));
        Assert.Equal(S.Invalid, debouncer.Update(S.B, 249));
        Assert.Equal(S.B, debouncer.Update(S.B, 250));
    }

    [Fact]
    public void Negative_stable_times_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PilotDebouncer(-1, 25));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PilotDebouncer(250, -1));
    }

    [Fact]
    public void Update_does_not_allocate()
    {
        var debouncer = SettledIn(S.B);
        debouncer.Update(S.C, 0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            debouncer.Update(i % 3 == 0 ? S.C : S.B, i);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
