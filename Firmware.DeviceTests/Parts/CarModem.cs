using ChargerFirmware.Drivers;
using ChargerFirmware.Drivers.Modem;

namespace ChargerFirmware.DeviceTests.Parts
{
    /// <summary>The power-line link to the car: once matched, a state of charge read half a second ago and the car's limits.</summary>
    public sealed class CarModem : IPowerLineModem
    {
        // Static, not const: on nanoFramework every load of a literal allocates, and a stand-in must not.
        private static readonly string Vehicle = "EVCC-0A1B2C3D4E5F";

        private readonly IClock _clock;

        /// <summary>A modem on <paramref name="clock"/>.</summary>
        public CarModem(IClock clock)
        {
            _clock = clock;
        }

        /// <summary>A car is matched on the link.</summary>
        public bool Matched;

        /// <summary>The car's state of charge, per mille.</summary>
        public int SocPermille = 800;

        /// <inheritdoc />
        public bool Read(VehicleLinkReading reading)
        {
            bool matched = Matched;
            long readAt = _clock.MonotonicMs - 500;
            reading.LinkUp = matched;
            reading.Matched = matched;
            reading.VehicleId = matched ? Vehicle : null;
            reading.SocPermille = SocPermille;
            reading.SocReadAtMs = matched ? readAt : VehicleLinkReading.Never;
            reading.CapacityWh = 40000;
            reading.MaxChargeW = 11000;
            reading.MaxDischargeW = 7400;
            reading.LimitsReadAtMs = matched ? readAt : VehicleLinkReading.Never;
            return true;
        }
    }
}
