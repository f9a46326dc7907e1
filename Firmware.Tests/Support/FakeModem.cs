using ChargerFirmware.Drivers.Modem;

namespace ChargerFirmware.Tests.Support;

/// <summary>A power-line link whose vehicle data the test sets directly.</summary>
public sealed class FakeModem : IPowerLineModem
{
    public VehicleLinkReading Reading { get; } = new();
    public bool Answers { get; set; } = true;

    /// <summary>Why its data cannot be used (a ModemProblems code), reported even when it does not answer.</summary>
    public int Problem { get; set; }

    /// <summary>A matched vehicle reporting <paramref name="socPermille"/> now, with the given limits.</summary>
    public void Report(string vehicleId, int socPermille, long nowMs, int maxChargeW = 11000, int maxDischargeW = 7400, int capacityWh = 40_000)
    {
        Reading.CapacityWh = capacityWh;
        Reading.LinkUp = true;
        Reading.Matched = true;
        Reading.VehicleId = vehicleId;
        Reading.SocPermille = socPermille;
        Reading.SocReadAtMs = nowMs;
        Reading.MaxChargeW = maxChargeW;
        Reading.MaxDischargeW = maxDischargeW;
        Reading.LimitsReadAtMs = nowMs;
    }

    public void Unmatch()
    {
        Reading.LinkUp = false;
        Reading.Matched = false;
        Reading.VehicleId = null;
        Reading.SocReadAtMs = VehicleLinkReading.Never;
        Reading.LimitsReadAtMs = VehicleLinkReading.Never;
    }

    public bool Read(VehicleLinkReading reading)
    {
        reading.Problem = Problem;
        reading.ProblemDetail = Problem == 0 ? 0 : 7;
        if (!Answers)
        {
            return false;
        }

        reading.LinkUp = Reading.LinkUp;
        reading.Matched = Reading.Matched;
        reading.VehicleId = Reading.VehicleId;
        reading.SocPermille = Reading.SocPermille;
        reading.SocReadAtMs = Reading.SocReadAtMs;
        reading.CapacityWh = Reading.CapacityWh;
        reading.MaxChargeW = Reading.MaxChargeW;
        reading.MaxDischargeW = Reading.MaxDischargeW;
        reading.LimitsReadAtMs = Reading.LimitsReadAtMs;
        return true;
    }
}
