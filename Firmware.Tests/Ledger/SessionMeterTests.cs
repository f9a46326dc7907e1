using ChargerFirmware.Drivers.Converter;
using ChargerFirmware.Ledger;
using Xunit;

namespace ChargerFirmware.Tests.Ledger;

public class SessionMeterTests
{
    private const long Hour = 3_600_000;

    [Fact]
    public void Counters_give_the_energy_when_present()
    {
        var meter = new SessionMeter();
        var reading = new ConverterReading { PowerW = 7000, ImportWh = 123_456, ExportWh = 9_000 };
        meter.Start(0, reading);
        reading.ImportWh += 2;
        meter.Update(1000, reading);
        reading.ImportWh += 1;
        reading.ExportWh += 1;
        meter.Update(2000, reading);
        Assert.Equal(3, meter.ImportWh);
        Assert.Equal(1, meter.ExportWh);
        Assert.True(meter.ImportFromCounter);
        Assert.True(meter.ExportFromCounter);
    }

    [Fact]
    public void Without_counters_constant_power_integrates_exactly_over_ten_hours_of_odd_ticks()
    {
        var meter = new SessionMeter();
        meter.Start(0, 7_777, -1, -1);
        long now = 0;
        var random = new Random(3);
        while (now < 10 * Hour)
        {
            now += random.Next(1, 997);
            meter.Update(now, 7_777, -1, -1);
        }

        Assert.Equal(7_777 * now / Hour, meter.ImportWh);
        Assert.Equal(0, meter.ExportWh);
        Assert.False(meter.ImportFromCounter);
    }

    [Fact]
    public void One_watt_for_an_hour_is_one_Wh_and_nothing_is_lost_to_rounding()
    {
        var meter = new SessionMeter();
        meter.Start(0, -1, -1, -1);
        for (long ms = 1; ms <= Hour; ms += 1)
        {
            meter.Update(ms, -1, -1, -1);
        }

        Assert.Equal(1, meter.ExportWh);
        Assert.Equal(0, meter.ImportWh);
    }

    [Fact]
    public void Integration_uses_the_trapezoid_of_each_interval_per_direction()
    {
        var meter = new SessionMeter();
        meter.Start(0, 0, -1, -1);
        meter.Update(Hour, 2000, -1, -1);     // ramp 0 -> 2000 W: 1000 Wh
        meter.Update(2 * Hour, -2000, -1, -1); // crossing: 1000 Wh in (the 2000 W end), 1000 Wh out
        meter.Update(3 * Hour, -2000, -1, -1); // 2000 Wh out
        Assert.Equal(2000, meter.ImportWh);
        Assert.Equal(3000, meter.ExportWh);
    }

    [Fact]
    public void A_counter_going_backwards_creates_no_negative_energy_and_is_reported()
    {
        var meter = new SessionMeter();
        meter.Start(0, 3600, 5000, -1);
        meter.Update(Hour, 3600, 8600, -1);    // counter: 3600 Wh
        meter.Update(2 * Hour, 3600, 100, -1); // reset: this interval integrated, 3600 Wh
        meter.Update(3 * Hour, 3600, 3700, -1); // counter again from the new baseline
        Assert.Equal(3 * 3600, meter.ImportWh);
        Assert.Equal(1, meter.CounterWentBackwards);
        Assert.True(meter.ImportFromCounter);
    }

    [Fact]
    public void A_counter_jumping_beyond_the_plausible_power_is_replaced_by_integration_and_reported()
    {
        var meter = new SessionMeter(maxPlausibleW: 22_000);
        meter.Start(0, 11_000, 1_000, 0);
        meter.Update(1000, 11_000, 1_000 + 4_294_967_296L, 0); // a 32-bit wrap read as a jump
        meter.Update(Hour + 1000, 11_000, 1_000 + 4_294_967_296L + 11_000, 0);
        Assert.Equal(3 + 11_000, meter.ImportWh);
        Assert.Equal(1, meter.CounterJumped);
        Assert.Equal(0, meter.CounterWentBackwards);
    }

    [Fact]
    public void A_counter_disappearing_and_coming_back_switches_source_without_double_counting()
    {
        var meter = new SessionMeter();
        meter.Start(0, 3600, 10, -1);
        meter.Update(Hour, 3600, 3610, -1);        // counter 3600
        meter.Update(2 * Hour, 3600, -1, -1);      // integrated 3600
        Assert.False(meter.ImportFromCounter);
        meter.Update(3 * Hour, 3600, 99_999, -1);  // counter reappears: interval integrated, new baseline
        meter.Update(4 * Hour, 3600, 103_599, -1); // counter 3600
        Assert.Equal(4 * 3600, meter.ImportWh);
        Assert.Equal(0, meter.CounterWentBackwards + meter.CounterJumped);
    }

    [Fact]
    public void Time_standing_still_or_going_back_adds_nothing()
    {
        var meter = new SessionMeter();
        meter.Update(1000, 5000, -1, -1);
        Assert.True(meter.Started);
        meter.Update(1000, 5000, -1, -1);
        meter.Update(500, 5000, -1, -1);
        Assert.Equal(0, meter.ImportWh);
        meter.Update(1000 + Hour, 5000, -1, -1);
        Assert.Equal(5000, meter.ImportWh);
    }

    [Fact]
    public void A_new_start_zeroes_the_session()
    {
        var meter = new SessionMeter();
        meter.Start(0, 3600, -1, 0);
        meter.Update(Hour, 3600, -1, 5);
        meter.Start(Hour, 0, -1, 70);
        Assert.Equal(0, meter.ImportWh);
        Assert.Equal(0, meter.ExportWh);
        meter.Update(2 * Hour, 0, -1, 72);
        Assert.Equal(2, meter.ExportWh);
    }

    [Fact]
    public void A_counter_polled_in_bursts_is_followed_exactly()
    {
        // The converter's counter is read over Modbus every 2 s while the loop ticks every 20 ms:
        // it reads the same for 99 ticks, then catches up by about 4 Wh at once.
        var meter = new SessionMeter();
        meter.Start(0, 7_400, 1_000, 0);
        long counter = 1_000;
        long exactWms = 0;
        for (long t = 20; t <= 3_600_000; t += 20)
        {
            exactWms += 7_400L * 20;
            if (t % 2_000 == 0)
            {
                counter = 1_000 + exactWms / 3_600_000;
            }

            meter.Update(t, 7_400, counter, 0);
        }

        Assert.Equal(counter - 1_000, meter.ImportWh);
        Assert.Equal(7_400, meter.ImportWh);
        Assert.Equal(0, meter.CounterJumped);
        Assert.True(meter.ImportFromCounter);
    }
}
