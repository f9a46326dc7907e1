using ChargerFirmware.Drivers.SunSpec;
using Xunit;

namespace ChargerFirmware.Tests.Modbus;

public class SunSpecValueTests
{
    private const long Missing = SunSpecValue.Missing;

    [Theory]
    [InlineData(1234, -2, 12)]
    [InlineData(1250, -2, 13)]
    [InlineData(-1250, -2, -13)]
    [InlineData(-1249, -2, -12)]
    [InlineData(5, 3, 5000)]
    [InlineData(7400, 0, 7400)]
    [InlineData(3987, 2, 398700)]
    public void Values_scale_by_ten_to_the_scale_factor_rounding_half_away_from_zero(long raw, int sf, long expected)
    {
        Assert.Equal(expected, SunSpecValue.Scale(raw, sf));
    }

    [Fact]
    public void Missing_values_scale_factors_and_overflows_stay_missing()
    {
        Assert.Equal(Missing, SunSpecValue.Scale(Missing, 0));
        Assert.Equal(Missing, SunSpecValue.Scale(10, Missing));
        Assert.Equal(Missing, SunSpecValue.Scale(10, Missing + 3));
        Assert.Equal(Missing, SunSpecValue.Scale(long.MaxValue / 10, 2));
    }

    [Fact]
    public void Sentinels_read_as_missing()
    {
        Assert.Equal(Missing, SunSpecValue.UInt16(0xFFFF));
        Assert.Equal(65534, SunSpecValue.UInt16(0xFFFE));
        Assert.Equal(Missing, SunSpecValue.SignedInt16(0x8000));
        Assert.Equal(-2, SunSpecValue.SignedInt16(0xFFFE));
        Assert.Equal(Missing, SunSpecValue.UInt32([0xFFFF, 0xFFFF], 0));
        Assert.Equal(0x0001_0002, SunSpecValue.UInt32([0x0001, 0x0002], 0));
        Assert.Equal(Missing, SunSpecValue.UInt64([0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF], 0));
        Assert.Equal(0x0001_0002_0003_0004, SunSpecValue.UInt64([0x0001, 0x0002, 0x0003, 0x0004], 0));
    }

    [Theory]
    [InlineData(0x8000, Missing)]
    [InlineData(0xFFF6, -10)]
    [InlineData(0xFFF5, Missing)]
    [InlineData(10, 10)]
    [InlineData(11, Missing)]
    [InlineData(0xFFFE, -2)]
    public void Scale_factors_outside_minus_ten_to_ten_are_missing(int raw, long expected)
    {
        Assert.Equal(expected, SunSpecValue.ScaleFactor((ushort)raw));
    }

    [Fact]
    public void Strings_are_two_ascii_characters_a_register_nul_padded()
    {
        ushort[] registers = [0x5375, 0x6E53, 0x7065, 0x6300, 0x0000, 0x4142];
        Assert.Equal("SunSpec", SunSpecValue.String(registers, 0, 6));
        Assert.Equal("Su", SunSpecValue.String(registers, 0, 1));
        Assert.Null(SunSpecValue.String(registers, 4, 1));
        Assert.Equal("AB", SunSpecValue.String(registers, 5, 1));
        Assert.Equal("A?", SunSpecValue.String([0x4101], 0, 1));
        Assert.Equal("AB", SunSpecValue.String([0x4142, 0x2020], 0, 2));
    }

    [Fact]
    public void Point_offsets_match_the_sunspec_model_definitions()
    {
        // Offsets from each model's ID register, as listed in sunspec/models json/model_1.json,
        // model_124.json and model_714.json (ID and L are offsets 0 and 1).
        Assert.Equal((1, 66, 2, 18, 50, 66), (CommonModel.Id, CommonModel.Length, CommonModel.Manufacturer, CommonModel.Model, CommonModel.SerialNumber, CommonModel.DeviceAddress));
        Assert.Equal(124, StorageModel.Id);
        Assert.Equal(24, StorageModel.Length);
        int[] storage =
        [
            StorageModel.WChaMax, StorageModel.WChaGra, StorageModel.WDisChaGra, StorageModel.StorCtlMod, StorageModel.VAChaMax,
            StorageModel.MinRsvPct, StorageModel.ChaState, StorageModel.StorAval, StorageModel.InBatV, StorageModel.ChaSt,
            StorageModel.OutWRte, StorageModel.InWRte, StorageModel.InOutWRteWinTms, StorageModel.InOutWRteRvrtTms,
            StorageModel.InOutWRteRmpTms, StorageModel.ChaGriSet, StorageModel.WChaMaxSf, StorageModel.WChaDisChaGraSf,
            StorageModel.VAChaMaxSf, StorageModel.MinRsvPctSf, StorageModel.ChaStateSf, StorageModel.StorAvalSf,
            StorageModel.InBatVSf, StorageModel.InOutWRteSf,
        ];
        Assert.Equal(Enumerable.Range(2, 24), storage);

        Assert.Equal(714, DcMeasurementModel.Id);
        Assert.Equal((2, 4, 5, 6, 7, 11), (DcMeasurementModel.PortAlarms, DcMeasurementModel.PortCount, DcMeasurementModel.Current, DcMeasurementModel.Power, DcMeasurementModel.EnergyInjected, DcMeasurementModel.EnergyAbsorbed));
        Assert.Equal((15, 16, 17, 18, 19, 20), (DcMeasurementModel.CurrentSf, DcMeasurementModel.VoltageSf, DcMeasurementModel.PowerSf, DcMeasurementModel.EnergySf, DcMeasurementModel.TemperatureSf, DcMeasurementModel.FirstPort));
        Assert.Equal((0, 1, 2, 10, 11, 12), (DcMeasurementModel.PortType, DcMeasurementModel.PortId, DcMeasurementModel.PortIdString, DcMeasurementModel.PortCurrent, DcMeasurementModel.PortVoltage, DcMeasurementModel.PortPower));
        Assert.Equal((13, 17, 21, 22, 23), (DcMeasurementModel.PortEnergyInjected, DcMeasurementModel.PortEnergyAbsorbed, DcMeasurementModel.PortTemperature, DcMeasurementModel.PortStatus, DcMeasurementModel.PortAlarm));
        Assert.Equal((18, 25), (DcMeasurementModel.FixedLength, DcMeasurementModel.PortLength));
        Assert.Equal((1 << 22, 1 << 7, 1 << 1, 1 << 21), (DcMeasurementModel.AlarmOverCurrent, DcMeasurementModel.AlarmOverTemperature, DcMeasurementModel.AlarmOverVoltage, DcMeasurementModel.AlarmUnderVoltage));
    }
}
