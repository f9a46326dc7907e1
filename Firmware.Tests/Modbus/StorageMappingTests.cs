using ChargerFirmware.Drivers.Converter;
using ChargerFirmware.Drivers.SunSpec;
using ChargerFirmware.VirtualHardware;
using Xunit;

namespace ChargerFirmware.Tests.Modbus;

/// <summary>Model 124: watts to InWRte/OutWRte and back, and what a converter makes of the window.</summary>
public class StorageMappingTests
{
    [Theory]
    [InlineData(3700, 7400, -2, 5000)]
    [InlineData(-3700, 7400, -2, -5000)]
    [InlineData(7400, 7400, -2, 10000)]
    [InlineData(20000, 7400, -2, 10000)]
    [InlineData(-20000, 7400, -2, -10000)]
    [InlineData(1, 7400, -2, 1)]
    [InlineData(74, 7400, 0, 1)]
    [InlineData(-74, 7400, 0, -1)]
    [InlineData(73, 7400, 0, 0)]
    [InlineData(-73, 7400, 0, 0)]
    [InlineData(3700, 7400, 1, 5)]
    [InlineData(3000, 11000, 1, 2)]
    [InlineData(-3000, 11000, 1, -2)]
    [InlineData(3700, 0, -2, 0)]
    [InlineData(0, 7400, -2, 0)]
    public void Watts_become_a_signed_percent_of_WChaMax_rounded_toward_zero_so_a_cap_is_never_exceeded(int watts, int maxW, int sf, int raw)
    {
        Assert.Equal(raw, SunSpecConverter.RateRaw(watts, maxW, sf));
    }

    [Theory]
    [InlineData(5000, 7400, -2, 3700)]
    [InlineData(-5000, 7400, -2, -3700)]
    [InlineData(1, 7400, 0, 74)]
    public void Rates_read_back_as_watts(int raw, int maxW, int sf, int watts)
    {
        Assert.Equal(watts, SunSpecConverter.RateWatts(raw, maxW, sf));
    }

    [Theory]
    [InlineData(3, 5000, -5000, 3700)]
    [InlineData(3, -5000, 5000, -3700)]
    [InlineData(3, 0, 0, 0)]
    [InlineData(0, 5000, -5000, 0)]
    [InlineData(1, 5000, 0, 0)]
    [InlineData(1, -5000, 0, -3700)]
    [InlineData(2, 0, -2500, 1850)]
    [InlineData(3, -5000, -5000, 0)]
    [InlineData(3, 20000, -20000, 7400)]
    public void The_converter_settles_where_the_window_pins_it_and_prefers_zero_inside(int mode, int inRate, int outRate, int expectedW)
    {
        var clock = new ManualClock();
        var converter = new VirtualConverter(rampWattsPerSecond: 0)
        {
            Car = new VirtualCar(60_000, 500, 11_000, 11_000),
            StorageControlMode = mode,
            ChargeRateRaw = inRate,
            DischargeRateRaw = outRate,
        };
        converter.RefreshRates(0);
        clock.Advance(1000);
        converter.Update(clock.MonotonicMs);

        Assert.Equal(expectedW, converter.TargetW);
        Assert.Equal(expectedW, converter.PowerW);
    }

    [Fact]
    public void Port_alarms_map_to_converter_faults()
    {
        Assert.Equal(0, SunSpecConverter.FaultsFrom(DcMeasurementModel.StatusOn, 0));
        Assert.Equal(0, SunSpecConverter.FaultsFrom(-1, SunSpecValue.Missing));
        Assert.Equal(ConverterFaults.OverCurrent, SunSpecConverter.FaultsFrom(DcMeasurementModel.StatusError, DcMeasurementModel.AlarmOverCurrent));
        Assert.Equal(ConverterFaults.Voltage, SunSpecConverter.FaultsFrom(DcMeasurementModel.StatusWarning, DcMeasurementModel.AlarmUnderVoltage));
        Assert.Equal(ConverterFaults.Voltage, SunSpecConverter.FaultsFrom(DcMeasurementModel.StatusError, DcMeasurementModel.AlarmOverVoltage));
        Assert.Equal(ConverterFaults.OverTemperature, SunSpecConverter.FaultsFrom(DcMeasurementModel.StatusError, DcMeasurementModel.AlarmOverTemperature));
        Assert.Equal(ConverterFaults.Internal, SunSpecConverter.FaultsFrom(DcMeasurementModel.StatusError, DcMeasurementModel.AlarmGroundFault));
        Assert.Equal(ConverterFaults.Internal, SunSpecConverter.FaultsFrom(DcMeasurementModel.StatusError, 0));
        Assert.Equal(
            ConverterFaults.OverCurrent | ConverterFaults.Internal,
            SunSpecConverter.FaultsFrom(DcMeasurementModel.StatusError, DcMeasurementModel.AlarmOverCurrent | DcMeasurementModel.AlarmTestFailed));
    }
}
