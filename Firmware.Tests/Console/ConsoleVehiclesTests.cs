using System.Text.Json;
using ChargerFirmware.Conditions;
using ChargerFirmware.Protocol.Messages;
using Xunit;

namespace ChargerFirmware.Tests.TechConsole;

/// <summary>The cars drivers asked the charger to remember, as a technician sees and forgets them.</summary>
public class ConsoleVehiclesTests
{
    private static ConsoleRig WithCars()
    {
        var rig = new ConsoleRig();
        var pattern = new ChargingConditions("my-pattern", 650, 27_000, 14_000, false, Settlement.Points);
        rig.Rig.Policy.Vehicles.Remember("EVCC01", pattern, 1_805_000_000_000);
        rig.Rig.Policy.Vehicles.Remember("EVCC02", new ChargingConditions("my-pattern", 300, 0, 0, true, Settlement.Offset), 1_805_000_060_000);
        return rig;
    }

    [Fact]
    public void Anyone_sees_how_many_cars_only_a_technician_sees_which()
    {
        using ConsoleRig rig = WithCars();
        string anonymous = rig.Run("vehicles");
        Assert.Contains("2 of 20 cars", anonymous);
        Assert.DoesNotContain("EVCC01", anonymous);
        Assert.Contains("log in to see which", anonymous);

        rig.LogIn();
        string listed = rig.Run("vehicles");
        Assert.Contains("EVCC02  keep 30 %, prices left to the aggregator, 0 window(s), offset", listed);
        Assert.Contains("EVCC01  keep 65 %, sell >= 27.000, buy <= 14.000, 0 window(s), points", listed);
        Assert.True(listed.IndexOf("EVCC02", StringComparison.Ordinal) < listed.IndexOf("EVCC01", StringComparison.Ordinal));

        using var json = JsonDocument.Parse(rig.Run("vehicles --json"));
        Assert.Equal(2, json.RootElement.GetProperty("count").GetInt32());
        Assert.Equal("EVCC02", json.RootElement.GetProperty("vehicles")[0].GetProperty("vehicleId").GetString());
        Assert.Equal(65, json.RootElement.GetProperty("vehicles")[1].GetProperty("keptSocPct").GetInt32());
    }

    [Fact]
    public void A_technician_forgets_one_car_or_all_through_the_control_loop_and_it_is_logged()
    {
        using ConsoleRig rig = WithCars();
        Assert.StartsWith("error: ", rig.Run("vehicles forget EVCC01"));
        rig.LogIn();
        Assert.StartsWith("ok: forgetting EVCC01", rig.Run("vehicles forget EVCC01"));
        Assert.True(rig.Rig.Policy.Vehicles.Contains("EVCC01"));
        rig.Step(2);
        Assert.False(rig.Rig.Policy.Vehicles.Contains("EVCC01"));
        string log = rig.Run("log");
        Assert.Contains("vehicle-forgotten", log);
        Assert.Contains("EVCC01", log);
        Assert.Contains("ok", log[log.IndexOf("vehicle-forgotten", StringComparison.Ordinal)..]);

        Assert.StartsWith("ok: every car", rig.Run("vehicles forget all"));
        rig.Step(2);
        Assert.Equal(0, rig.Rig.Policy.Vehicles.Count);
        Assert.StartsWith("error: a vehicle id", rig.Run("vehicles forget " + new string('x', 65)));
        Assert.Contains("usage: vehicles", rig.Run("vehicles forget"));
    }
}
