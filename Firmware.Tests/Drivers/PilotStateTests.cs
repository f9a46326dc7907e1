using ChargerFirmware.Drivers.Pilot;
using Xunit;
using WirePilotState = ChargerFirmware.Protocol.Messages.PilotState;

namespace ChargerFirmware.Tests.Drivers;

public class PilotStateTests
{
    [Theory]
    [InlineData(PilotState.A, "A")]
    [InlineData(PilotState.B, "B")]
    [InlineData(PilotState.C, "C")]
    [InlineData(PilotState.D, "D")]
    [InlineData(PilotState.E, "E")]
    [InlineData(PilotState.F, "F")]
    [InlineData(PilotState.Invalid, "invalid")]
    [InlineData(42, "invalid")]
    public void Every_state_has_a_readable_name(int state, string name)
    {
        Assert.Equal(name, PilotState.Name(state));
    }

    [Fact]
    public void States_A_to_F_have_the_wire_values_and_names_and_invalid_is_named_alike()
    {
        for (int state = PilotState.A; state <= PilotState.F; state++)
        {
            Assert.Equal(PilotState.Name(state), WirePilotState.Names.Name(state));
        }

        Assert.Equal(WirePilotState.F, PilotState.F);
        Assert.Equal(PilotState.Name(PilotState.Invalid), WirePilotState.Names.Name(WirePilotState.Invalid));
        Assert.Null(WirePilotState.Names.Name(PilotState.Invalid)); // 0 is absent on the wire: map it explicitly
    }

    [Fact]
    public void Only_B_C_and_D_mean_a_connected_vehicle()
    {
        int[] connected = [PilotState.B, PilotState.C, PilotState.D];
        for (int state = -1; state <= 7; state++)
        {
            Assert.Equal(connected.Contains(state), PilotState.VehicleConnected(state));
        }
    }
}
