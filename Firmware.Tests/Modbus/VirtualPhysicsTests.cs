using ChargerFirmware.Drivers.Converter;
using ChargerFirmware.VirtualHardware;
using Xunit;

namespace ChargerFirmware.Tests.Modbus;

public class VirtualPhysicsTests
{
    private const long MsPerHour = 3_600_000;

    [Fact]
    public void Charging_stores_the_efficiency_share_of_the_terminal_energy_exactly()
    {
        var car = new VirtualCar(capacityWh: 40_000, socPermille: 500, maxChargeW: 11_000, maxDischargeW: 10_000, chargeEfficiencyPermille: 950);
        long before = car.StoredMicroJoules;

        long moved = car.Flow(1000, MsPerHour);

        Assert.Equal(1000 * MsPerHour, moved);
        Assert.Equal(950 * VirtualCar.MicroJoulesPerWh, car.StoredMicroJoules - before);
        Assert.Equal(20_950, car.StoredWh);
        Assert.Equal(523, car.SocPermille);
    }

    [Fact]
    public void Discharging_takes_more_from_the_cells_than_leaves_the_terminal_without_drift()
    {
        var many = new VirtualCar(40_000, 500, 11_000, 10_000, chargeEfficiencyPermille: 950);
        var once = new VirtualCar(40_000, 500, 11_000, 10_000, chargeEfficiencyPermille: 950);
        for (int i = 0; i < 3_600; i++)
        {
            Assert.Equal(-1_000_000, many.Flow(-1000, 1000));
        }

        once.Flow(-1000, MsPerHour);

        Assert.Equal(once.StoredMicroJoules, many.StoredMicroJoules);
        long lostWh = 20_000 - many.StoredWh;
        Assert.Equal(1053, lostWh); // 1000 Wh / 0.95 = 1052.6 Wh, rounded up by the whole-Wh view
    }

    [Fact]
    public void A_full_car_stops_taking_charge_by_itself()
    {
        var car = new VirtualCar(10_000, 990, 11_000, 10_000, chargeEfficiencyPermille: 1000);

        long moved = car.Flow(10_000, MsPerHour);

        Assert.True(car.IsFull);
        Assert.Equal(100 * MsPerHour, moved); // only the 100 Wh of room
        Assert.Equal(1000, car.SocPermille);
        Assert.Equal(0, car.AcceptablePower(5000));
        Assert.Equal(-5000, car.AcceptablePower(-5000));
    }

    [Fact]
    public void An_empty_car_refuses_discharge_below_its_own_minimum()
    {
        var car = new VirtualCar(10_000, 60, 11_000, 10_000, chargeEfficiencyPermille: 1000, minimumSocPermille: 50);

        long moved = car.Flow(-10_000, MsPerHour);

        Assert.Equal(-100 * MsPerHour, moved);
        Assert.True(car.IsEmpty);
        Assert.Equal(50, car.SocPermille);
        Assert.Equal(0, car.AcceptablePower(-1000));
        Assert.Equal(0, car.Flow(-1000, 1000));
    }

    [Fact]
    public void The_car_clamps_requests_to_its_own_power_limits()
    {
        var car = new VirtualCar(40_000, 500, maxChargeW: 7_000, maxDischargeW: 3_000);
        Assert.Equal(7_000, car.AcceptablePower(11_000));
        Assert.Equal(-3_000, car.AcceptablePower(-11_000));
        Assert.Equal(0, new VirtualCar(40_000, 500, 7_000, maxDischargeW: 0).AcceptablePower(-1000));
    }

    [Fact]
    public void The_converter_ramps_toward_its_target()
    {
        VirtualConverter converter = Charging(rampWattsPerSecond: 2_000, rateRaw: 5000);

        converter.Update(1000);
        Assert.Equal(2_000, converter.PowerW);
        converter.Update(1500);
        Assert.Equal(3_000, converter.PowerW);
        converter.Update(3000);
        Assert.Equal(3_700, converter.PowerW);
    }

    [Fact]
    public void Energy_counters_are_exact_however_often_the_physics_run()
    {
        VirtualConverter often = Charging(rampWattsPerSecond: 1_000, rateRaw: 10_000);
        VirtualConverter rarely = Charging(rampWattsPerSecond: 1_000, rateRaw: 10_000);
        for (long t = 7; t <= MsPerHour; t += 7)
        {
            often.Update(t);
            often.RefreshRates(t);
        }

        for (long t = 0; t <= MsPerHour; t += 1000)
        {
            rarely.Update(t);
            rarely.RefreshRates(t);
        }

        often.Update(MsPerHour);
        Assert.Equal(rarely.ImportWms, often.ImportWms);
        Assert.Equal(0, often.ExportWms);

        // 1 h at 7400 W less the 7.4 s ramp (ramp energy 7400 * 7.4 / 2 Ws short of full power).
        long expectedWms = (7400 * MsPerHour) - (7400L * 7400 / 2);
        Assert.InRange(often.ImportWms, expectedWms - 7400, expectedWms + 7400);
        Assert.Equal(often.ImportWms / MsPerHour, often.ImportWh);
        Assert.Equal(often.ImportWms * 1000 / 940 / MsPerHour, often.GridImportWh);
    }

    [Fact]
    public void Discharge_feeds_the_grid_less_than_leaves_the_car()
    {
        VirtualConverter converter = Charging(rampWattsPerSecond: 0, rateRaw: -10_000);
        converter.RevertSeconds = 0;
        converter.Update(MsPerHour);

        Assert.Equal(-7400, converter.PowerW);
        Assert.Equal(7400, converter.ExportWh);
        Assert.Equal(6956, converter.GridExportWh); // 7400 Wh * 0.94
        Assert.Equal(-6956, converter.GridPowerW);
    }

    [Fact]
    public void Rates_revert_to_zero_when_not_refreshed_in_time()
    {
        VirtualConverter converter = Charging(rampWattsPerSecond: 0, rateRaw: 5000);
        converter.RevertSeconds = 5;
        converter.RefreshRates(0);

        converter.Update(4_000);
        converter.RefreshRates(4_000);
        converter.Update(8_999);
        Assert.Equal(3700, converter.PowerW);
        Assert.Equal(0, converter.Reverts);

        converter.Update(9_000);
        converter.Update(9_001);
        Assert.Equal(1, converter.Reverts);
        Assert.Equal(0, converter.ChargeRateRaw);
        Assert.Equal(0, converter.PowerW);
    }

    [Fact]
    public void An_injected_fault_trips_the_converter_to_zero_until_cleared()
    {
        VirtualConverter converter = Charging(rampWattsPerSecond: 0, rateRaw: 5000);
        converter.RevertSeconds = 0;
        converter.Update(1000);
        Assert.Equal(3700, converter.PowerW);

        converter.InjectFault(ConverterFaults.OverCurrent);
        converter.Update(2000);
        Assert.Equal(0, converter.PowerW);

        converter.ClearFaults();
        converter.Update(3000);
        Assert.Equal(3700, converter.PowerW);
    }

    private static VirtualConverter Charging(int rampWattsPerSecond, int rateRaw) => new(rampWattsPerSecond: rampWattsPerSecond)
    {
        Car = new VirtualCar(100_000, 200, 11_000, 11_000),
        StorageControlMode = 3,
        ChargeRateRaw = rateRaw,
        DischargeRateRaw = -rateRaw,
        RevertSeconds = 5,
    };
}
