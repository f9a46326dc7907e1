using ChargerFirmware.Conditions;

namespace ChargerFirmware.Arbiter
{
    /// <summary>
    /// Everything the arbiter weighs in one tick, as plain fields the control loop fills in place
    /// (one object, reused). Powers in W (charge positive), prices in milli-currency per kWh, state of
    /// charge in per-mille.
    /// </summary>
    public sealed class ArbiterInputs
    {
        /// <summary>Monotonic time of this tick (drives the ramp).</summary>
        public long MonotonicMs;

        /// <summary>Wall time of this tick, Unix ms (for the driver's time windows).</summary>
        public long UtcMs;

        /// <summary>True when <see cref="UtcMs"/> comes from a synchronised clock; windows cannot be proven otherwise.</summary>
        public bool UtcValid;

        /// <summary>The core's word that power may flow: vehicle in C (or D with ventilation), contactor closed or closing, no fault.</summary>
        public bool PowerAllowed;

        /// <summary>A fault is active: 0 at once.</summary>
        public bool Fault;

        /// <summary>The consent state (a <see cref="ChargerFirmware.Consent.ConsentStates"/> constant).</summary>
        public int ConsentState;

        /// <summary>The conditions in force (the consent session's); needed when consent is granted.</summary>
        public ChargingConditions? Conditions;

        /// <summary>True when <see cref="BuyPriceMilli"/> and <see cref="SellPriceMilli"/> are in force.</summary>
        public bool PricesValid;

        /// <summary>What the driver pays per kWh for aggregator-driven charge.</summary>
        public int BuyPriceMilli;

        /// <summary>What the driver is paid per kWh for discharge.</summary>
        public int SellPriceMilli;

        /// <summary>True while a dispatch is active (valid and not expired).</summary>
        public bool HasDispatch;

        /// <summary>The dispatch's setpoint, W: positive charge, negative discharge, 0 hold.</summary>
        public int DispatchSetpointW;

        /// <summary>The dispatch's ramp rate, W per second; 0 = none given (used when slower than the configured rate).</summary>
        public int DispatchRampWps;

        /// <summary>The dispatch's id, echoed in the decision while followed.</summary>
        public string DispatchId = "";

        /// <summary>True when the dispatch carries its own buying price, which then applies to energy into the car instead of the prices in force.</summary>
        public bool DispatchHasBuyPrice;

        /// <summary>The dispatch's buying price per kWh (with <see cref="DispatchHasBuyPrice"/>).</summary>
        public int DispatchBuyPriceMilli;

        /// <summary>True when the dispatch carries its own selling price, which then applies to energy out of the car instead of the prices in force.</summary>
        public bool DispatchHasSellPrice;

        /// <summary>The dispatch's selling price per kWh (with <see cref="DispatchHasSellPrice"/>).</summary>
        public int DispatchSellPriceMilli;

        /// <summary>True when the car reported a state of charge.</summary>
        public bool SocKnown;

        /// <summary>The car's state of charge, per-mille.</summary>
        public int SocPermille;

        /// <summary>How old the state of charge is, ms (older than the configured maximum = unknown).</summary>
        public long SocAgeMs;

        /// <summary>The car's usable battery capacity, Wh; 0 = unknown (then no discharge: the floor cannot be predicted).</summary>
        public int VehicleCapacityWh;

        /// <summary>The car's maximum charge power, W; 0 = unknown, meaning no vehicle limit.</summary>
        public int VehicleMaxChargeW;

        /// <summary>The car's maximum discharge power, W; 0 = unknown, meaning no discharge.</summary>
        public int VehicleMaxDischargeW;

        /// <summary>The cable rating and the pilot's offered current as W, for charge (0 = none).</summary>
        public int ChargeLimitW;

        /// <summary>The cable rating as W, for discharge (0 = none).</summary>
        public int DischargeLimitW;

        /// <summary>The converter's rated charge power, W.</summary>
        public int ConverterMaxChargeW;

        /// <summary>The converter's rated discharge power, W.</summary>
        public int ConverterMaxDischargeW;

        /// <summary>Thermal derating of the converter's ratings, per-mille (1000 = none, 0 = stop).</summary>
        public int ThermalDeratingPermille = 1000;

        /// <summary>
        /// The price in force for energy into the car under the dispatch: its own buying price, else the
        /// prices in force; false when there is none. The arbiter admits by it and the ledger books by it.
        /// </summary>
        public bool TryChargePrice(out int priceMilli)
        {
            priceMilli = DispatchHasBuyPrice ? DispatchBuyPriceMilli : BuyPriceMilli;
            return DispatchHasBuyPrice || PricesValid;
        }

        /// <summary>The price in force for energy out of the car under the dispatch: its own selling price, else the prices in force; false when there is none.</summary>
        public bool TryDischargePrice(out int priceMilli)
        {
            priceMilli = DispatchHasSellPrice ? DispatchSellPriceMilli : SellPriceMilli;
            return DispatchHasSellPrice || PricesValid;
        }
    }
}
