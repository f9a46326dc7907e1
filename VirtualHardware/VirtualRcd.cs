using ChargerFirmware.Drivers.Rcd;

namespace ChargerFirmware.VirtualHardware;

/// <summary>
/// A residual current monitor: the test winding trips it while driven. Faults: a real residual
/// current (trips, whatever the test) and a broken self-test (the winding does not trip it).
/// </summary>
public sealed class VirtualRcd : IResidualCurrentMonitor
{
    /// <summary>True while the test winding is driven.</summary>
    public bool TestDriven { get; private set; }

    /// <summary>How many times the test winding was switched on.</summary>
    public int TestsDriven { get; private set; }

    /// <summary>Injected real residual current: the monitor trips.</summary>
    public bool ResidualCurrent { get; set; }

    /// <summary>Injected broken self-test: driving the winding does not trip the monitor.</summary>
    public bool SelfTestBroken { get; set; }

    /// <inheritdoc />
    public bool Tripped => ResidualCurrent || (TestDriven && !SelfTestBroken);

    /// <inheritdoc />
    public void DriveTest(bool on)
    {
        if (on && !TestDriven)
        {
            TestsDriven++;
        }

        TestDriven = on;
    }
}
