using ChargerFirmware.Status;

namespace ChargerFirmware.Tests.Link;

/// <summary>A charger status the test sets field by field.</summary>
public sealed class FakeStatusSource : IStatusSource
{
    public ChargerStatus Status { get; } = new() { Pilot = 1, TemperatureDeciC = 250, Ticks = 1, ClockSynced = true };

    public void CopyStatus(ChargerStatus into) => into.CopyFrom(Status);
}
