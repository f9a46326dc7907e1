using Xunit;

namespace ChargerFirmware.Tests.TechConsole;

public class ConsoleSmokeTests
{
    [Fact]
    public void Status_answers_through_the_pipes()
    {
        using var rig = new ConsoleRig();
        string answer = rig.Run("status");
        Assert.Contains("state", answer);
        Assert.Contains("idle", answer);
    }
}
