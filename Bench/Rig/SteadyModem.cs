using ChargerFirmware.Drivers;
using ChargerFirmware.Drivers.Modem;

namespace ChargerFirmware.Bench.Rig;

/// <summary>
/// A power-line link with a matched vehicle once <see cref="Matched"/> is set, whose state of charge
/// is read fresh at every poll (a steady session never goes stale, however long the bench runs).
/// </summary>
public sealed class SteadyModem : IPowerLineModem
{
    private readonly IClock _clock;

    public SteadyModem(IClock clock)
    {
        _clock = clock;
    }

    public bool Matched { get; set; }

    public string VehicleId { get; set; } = "EVCC01";

    public int SocPermille { get; set; } = 800;

    public bool Read(VehicleLinkReading reading)
    {
        bool matched = Matched;
        long now = _clock.MonotonicMs;
        reading.LinkUp = matched;
        reading.Matched = matched;
        reading.VehicleId = matched ? VehicleId : null;
        reading.SocPermille = SocPermille;
        reading.SocReadAtMs = matched ? now : VehicleLinkReading.Never;
        reading.CapacityWh = 40_000;
        reading.MaxChargeW = 11_000;
        reading.MaxDischargeW = 7_400;
        reading.LimitsReadAtMs = matched ? now : VehicleLinkReading.Never;
        return true;
    }
}
