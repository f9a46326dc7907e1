using ChargerFirmware.Drivers.Converter;
using ChargerFirmware.Drivers.SunSpec;
using Xunit;

namespace ChargerFirmware.Tests.Modbus;

public class SunSpecDiscoveryTests
{
    [Theory]
    [InlineData(40000)]
    [InlineData(0)]
    [InlineData(50000)]
    public void The_map_is_found_at_each_well_known_base_address(int baseAddress)
    {
        var rig = new ConverterRig(baseAddress: baseAddress).StartedAndReady();

        SunSpecDiscovery discovery = rig.Driver.Discovery;
        Assert.Equal(SunSpecDiscovery.Found, discovery.Result);
        Assert.Equal(baseAddress, discovery.BaseAddress);
        Assert.Equal(rig.Slave.CommonAt, discovery.AddressOf(CommonModel.Id));
        Assert.Equal(rig.Slave.StorageAt, discovery.AddressOf(StorageModel.Id));
        Assert.Equal(rig.Slave.DcAt, discovery.AddressOf(DcMeasurementModel.Id));
        Assert.Equal(43, discovery.LengthOf(DcMeasurementModel.Id));
    }

    [Fact]
    public void Unknown_models_are_walked_past_by_their_length()
    {
        var rig = new ConverterRig(extraModels: [(103, 50), (64001, 7)]).StartedAndReady();

        SunSpecDiscovery discovery = rig.Driver.Discovery;
        Assert.Equal(5, discovery.ModelCount);
        Assert.Equal([1, 103, 64001, 124, 714], Enumerable.Range(0, 5).Select(discovery.IdAt));
        Assert.Equal(40004 + 66 + 52, discovery.AddressOf(64001));
        Assert.Equal(rig.Slave.StorageAt, discovery.AddressOf(StorageModel.Id));
        Assert.Equal(-1, discovery.AddressOf(160));
        Assert.Equal(-1, discovery.LengthOf(160));
    }

    [Fact]
    public void The_common_model_strings_are_read_once_at_start()
    {
        var rig = new ConverterRig().StartedAndReady();

        Assert.Equal("Virtual Power", rig.Driver.Manufacturer);
        Assert.Equal("VBC-7400", rig.Driver.ModelName);
        Assert.Equal("VC-000001", rig.Driver.SerialNumber);
    }

    [Fact]
    public void A_device_without_the_measurement_model_is_unsupported_and_probed_again_later()
    {
        var rig = new ConverterRig(withDcModel: false);
        rig.Run(2_000);

        Assert.Equal(SunSpecConverter.PhaseUnsupported, rig.Driver.Phase);
        Assert.True(rig.Driver.Read(rig.Reading), "the device answers");
        Assert.False(rig.Reading.Ready);
        int requests = rig.Bus.Requests;
        rig.Run(5_000);
        Assert.Equal(requests, rig.Bus.Requests);
        rig.Run(6_000);
        Assert.True(rig.Bus.Requests > requests, "probed again after the rediscovery delay");
    }

    [Fact]
    public void A_device_answering_without_any_marker_has_no_sunspec_map()
    {
        var rig = new ConverterRig(baseAddress: 1000);
        rig.Run(1_000);

        Assert.Equal(SunSpecConverter.PhaseUnsupported, rig.Driver.Phase);
        Assert.Equal(SunSpecDiscovery.NotFound, rig.Driver.Discovery.Result);
        Assert.Equal("unsupported map", SunSpecConverter.PhaseName(rig.Driver.Phase));
    }

    [Fact]
    public void A_silent_device_keeps_discovery_going_and_raises_the_communication_fault()
    {
        var rig = new ConverterRig();
        rig.Converter.CommunicationLost = true;
        rig.Run(6_000);

        Assert.Equal(SunSpecConverter.PhaseDiscovering, rig.Driver.Phase);
        Assert.False(rig.Driver.Read(rig.Reading));
        Assert.False(rig.Reading.Ready);
        Assert.Equal(ConverterFaults.Communication, rig.Reading.Faults);

        rig.Converter.CommunicationLost = false;
        bool ok = rig.RunUntil(rig.Ready, rig.Timing.BackoffMaxMs + 5_000);
        Assert.True(ok, $"phase {rig.Driver.Phase} result {rig.Driver.Discovery.Result} base {rig.Driver.Discovery.BaseAddress} faults {rig.Reading.Faults} requests {rig.Bus.Requests} answers {rig.Bus.Answers}");
        Assert.Equal(0, rig.Reading.Faults);
    }
}
