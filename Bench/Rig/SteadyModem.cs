using ChargerFirmware.Drivers;
using ChargerFirmware.Drivers.Modem;

namespace ChargerFirmware.Bench.Rig;

/// <summary>
/// A power-line link with a matched vehicle once <see cref="Matched"/> is set, whose state of charge
/// is always half a second old at every poll (as from a module refreshing every second), so a steady
/// session never goes stale however long the bench runs, and on a real clock the reading never
/// lies in the future of the tick that asks.
/// </summary>
public sealed class SteadyModem : IPowerLineModem
{
    private const int ReadingAgeMs = 500;

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
        long readAt = _clock.MonotonicMs - ReadingAgeMs;
        reading.LinkUp = matched;
        reading.Matched = matched;
        reading.VehicleId = matched ? VehicleId : null;
        reading.SocPermille = SocPermille;
        reading.SocReadAtMs = matched ? readAt : VehicleLinkReading.Never;
        reading.CapacityWh = 40_000;
        reading.MaxChargeW = 11_000;
        reading.MaxDischargeW = 7_400;
        reading.LimitsReadAtMs = matched ? readAt : VehicleLinkReading.Never;
        return true;
    }
}
