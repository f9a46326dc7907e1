using ChargerFirmware.Drivers.Modbus;
using ChargerFirmware.Drivers.Modem;
using ChargerFirmware.VirtualHardware;
using Xunit;

namespace ChargerFirmware.Tests.Modbus;

/// <summary>The modem driver against the virtual 15118 module, sharing the bus with the converter.</summary>
public class ModemModuleTests
{
    private static ConverterRig ModemOnly() => new() { StepModem = true, StepConverter = false };

    private static bool Matched(ConverterRig rig) => rig.ModemDriver.Read(rig.Link) && rig.Link.Matched;

    private static ConverterRig MatchedRig(Action<ConverterRig>? before = null)
    {
        ConverterRig rig = ModemOnly();
        before?.Invoke(rig);
        rig.Modem.Plug(rig.Car);
        Assert.True(rig.RunUntil(() => Matched(rig), 3_000));
        return rig;
    }

    [Fact]
    public void Without_a_car_the_module_answers_with_no_link()
    {
        ConverterRig rig = ModemOnly();
        rig.Run(2_000);

        Assert.True(rig.ModemDriver.Read(rig.Link));
        Assert.False(rig.Link.LinkUp);
        Assert.False(rig.Link.Matched);
        Assert.Null(rig.Link.VehicleId);
        Assert.Equal(VehicleLinkReading.Never, rig.Link.SocReadAtMs);
        Assert.Equal(VehicleLinkReading.Never, rig.Link.LimitsReadAtMs);
        Assert.Equal(ModemRegisters.SlacIdle, rig.ModemDriver.SlacState);
    }

    [Fact]
    public void A_plugged_car_links_then_matches_and_reports_its_battery()
    {
        ConverterRig rig = ModemOnly();
        rig.Modem.Plug(rig.Car);
        rig.Run(1_000);
        Assert.True(rig.ModemDriver.Read(rig.Link));
        Assert.True(rig.Link.LinkUp);
        Assert.False(rig.Link.Matched);
        Assert.Equal(ModemRegisters.SlacMatching, rig.ModemDriver.SlacState);
        Assert.Equal(VehicleLinkReading.Never, rig.Link.SocReadAtMs);

        Assert.True(rig.RunUntil(() => Matched(rig), 3_000));
        Assert.Equal("02005E102030", rig.Link.VehicleId);
        Assert.Equal(500, rig.Link.SocPermille);
        Assert.Equal(40_000, rig.Link.CapacityWh);
        Assert.Equal(11_000, rig.Link.MaxChargeW);
        Assert.Equal(10_000, rig.Link.MaxDischargeW);
        Assert.Equal(ModemRegisters.SlacMatched, rig.ModemDriver.SlacState);
        Assert.Equal(1, rig.ModemDriver.MatchCount);
        long now = rig.Clock.MonotonicMs;
        Assert.InRange(rig.Link.SocReadAtMs, now - 1_600, now);
        Assert.InRange(rig.Link.LimitsReadAtMs, now - 1_600, now);
    }

    [Fact]
    public void Ages_become_local_times_no_newer_than_the_request()
    {
        ConverterRig rig = MatchedRig(r => r.Modem.VehicleUpdatePeriodMs = 60_000);
        long sampledAt = rig.Link.SocReadAtMs;
        rig.Run(20_000);
        rig.ModemDriver.Read(rig.Link);

        // The module sampled the car once at the match; every later read reports a growing age,
        // which maps back to the same local time (within the request's transit).
        Assert.InRange(rig.Link.SocReadAtMs, sampledAt - 20, sampledAt);
        Assert.True(rig.Clock.MonotonicMs - rig.Link.SocReadAtMs >= 20_000);
    }

    [Fact]
    public void Frozen_vehicle_data_show_as_stale_not_as_fresh()
    {
        ConverterRig rig = MatchedRig();
        rig.Modem.FreezeVehicleData = true;
        rig.Run(2_000);
        long frozenAt = rig.Link.SocReadAtMs;
        rig.Run(30_000);
        rig.ModemDriver.Read(rig.Link);

        Assert.True(rig.Link.Matched);
        Assert.InRange(rig.Link.SocReadAtMs, frozenAt - 20, frozenAt + 20);
        Assert.True(rig.Clock.MonotonicMs - rig.Link.SocReadAtMs > 30_000);
    }

    [Fact]
    public void The_vehicle_id_string_is_replaced_only_when_it_changes()
    {
        ConverterRig rig = MatchedRig();
        string? first = rig.Link.VehicleId;
        rig.Run(5_000);
        rig.ModemDriver.Read(rig.Link);
        Assert.Same(first, rig.Link.VehicleId);

        var other = new VirtualCar(62_000, 300, 7_000, 0, evccId: [0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF, 0x01, 0x02]);
        rig.Modem.Unplug();
        rig.Run(1_000);
        rig.ModemDriver.Read(rig.Link);
        Assert.False(rig.Link.Matched);
        Assert.Null(rig.Link.VehicleId);
        Assert.Equal(VehicleLinkReading.Never, rig.Link.SocReadAtMs);
        Assert.Equal(0, rig.Link.MaxDischargeW);

        rig.Modem.Plug(other);
        rig.RunUntil(() => Matched(rig), 3_000);
        Assert.Equal("AABBCCDDEEFF0102", rig.Link.VehicleId);
        Assert.Equal(300, rig.Link.SocPermille);
        Assert.Equal(0, rig.Link.MaxDischargeW);
        Assert.Equal(2, rig.ModemDriver.MatchCount);
    }

    [Fact]
    public void A_car_without_power_line_communication_never_links()
    {
        ConverterRig rig = ModemOnly();
        rig.Car.HasPowerLineLink = false;
        rig.Modem.Plug(rig.Car);
        rig.Run(5_000);

        Assert.True(rig.ModemDriver.Read(rig.Link));
        Assert.False(rig.Link.LinkUp);
        Assert.False(rig.Link.Matched);
        Assert.Equal(VehicleLinkReading.Never, rig.Link.SocReadAtMs);
    }

    [Fact]
    public void A_silent_module_is_reported_as_not_answering()
    {
        ConverterRig rig = MatchedRig();

        rig.Modem.CommunicationLost = true;
        rig.Run(6_000);
        Assert.False(rig.ModemDriver.Read(rig.Link));
        Assert.False(rig.Link.LinkUp);
        Assert.False(rig.Link.Matched);
        Assert.Equal(ModemProblems.NoAnswer, rig.Link.Problem);

        // Probed with a doubling wait while lost, at most modbus-backoff-max-ms apart.
        rig.Modem.CommunicationLost = false;
        Assert.True(rig.RunUntil(() => Matched(rig), rig.Timing.BackoffMaxMs + 2_000));
        Assert.Equal(ModemProblems.None, rig.Link.Problem);
    }

    [Fact]
    public void A_device_with_another_register_map_is_not_taken_for_the_module()
    {
        var clock = new ManualClock();
        var bus = new VirtualBus(clock);
        bus.Attach(new SunSpecSlave(new VirtualConverter(), clock, unitId: 2, baseAddress: 0));
        var master = new ModbusMaster(bus.MasterPort, bus.BaudRate, new ModbusTiming { ResponseTimeoutMs = 50 });
        var modem = new ModemModule(master, new ModemModuleOptions { PollPeriodMs = 200, FailuresForLoss = 2 });
        var link = new VehicleLinkReading();
        for (int i = 0; i < 300; i++)
        {
            clock.Advance(10);
            modem.Poll(clock.MonotonicMs);
        }

        Assert.False(modem.Read(link));
        Assert.True(bus.Answers > 5);
    }

    [Fact]
    public void Converter_and_module_share_the_bus_and_both_keep_working()
    {
        var rig = new ConverterRig { StepModem = true };
        rig.Modem.Plug(rig.Car);
        rig.StartedAndReady();
        rig.Driver.SetSetpoint(7400);
        rig.Run(30_000);

        Assert.True(rig.Ready());
        Assert.Equal(7400, rig.Reading.PowerW);
        Assert.True(Matched(rig));
        Assert.Equal(rig.Car.SocPermille, rig.Link.SocPermille, tolerance: 2);
        Assert.True(rig.Clock.MonotonicMs - rig.Link.SocReadAtMs < 2_000);
        Assert.Equal(0, rig.Converter.Reverts);
    }

    [Fact]
    public void A_lost_module_is_probed_with_a_doubling_wait_one_attempt_each()
    {
        ConverterRig rig = ModemOnly();
        rig.Modem.CommunicationLost = true;
        rig.Run(60_000);

        // Polled every 500 ms with a retry, a minute of silence would cost 240 requests.
        Assert.InRange(rig.Master.RequestsSent, 8, 25);
        Assert.False(rig.ModemDriver.Read(rig.Link));
        Assert.Equal(ModemProblems.NoAnswer, rig.Link.Problem);
        Assert.True(rig.ModemDriver.Failures >= 6);
    }

    [Fact]
    public void A_long_evccid_is_read_from_the_extended_block_and_a_new_session_reads_it_again()
    {
        byte[] first = "DE-ABC-C123456789"u8.ToArray();
        byte[] second = "FR-XYZ-Q9876543210AB"u8.ToArray();
        ConverterRig rig = MatchedRig(r => r.Car.EvccId = first);
        Assert.True(rig.RunUntil(() => rig.ModemDriver.Read(rig.Link) && rig.Link.VehicleId != null, 2_000));
        Assert.Equal(Convert.ToHexString(first), rig.Link.VehicleId);

        rig.Modem.Unplug();
        rig.Run(1_000);
        rig.Car.EvccId = second;
        rig.Modem.Plug(rig.Car);
        Assert.True(rig.RunUntil(() => rig.ModemDriver.Read(rig.Link) && rig.Link.VehicleId == Convert.ToHexString(second), 5_000));
        Assert.Equal(2, rig.ModemDriver.MatchCount);
    }
}
