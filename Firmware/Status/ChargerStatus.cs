namespace ChargerFirmware.Status
{
    /// <summary>
    /// A copy of what the charger is doing, taken by the control loop at the end of each tick and
    /// read by the other threads (link, console, panel) through <c>Charger.CopyStatus</c>.
    /// Plain fields, copied field by field: no allocation.
    /// </summary>
    public sealed class ChargerStatus
    {
        /// <summary>Session state, a <c>Protocol.Messages.ChargerState</c> constant (the status topic's "state").</summary>
        public int State = Protocol.Messages.ChargerState.Idle;

        /// <summary>Accepted (debounced) pilot state, a <c>Drivers.Pilot.PilotState</c> constant (A..F equal the protocol's PilotState).</summary>
        public int Pilot;

        /// <summary>Last pilot high plateau, mV.</summary>
        public int PilotHighMv;

        /// <summary>Last pilot low plateau, mV.</summary>
        public int PilotLowMv;

        /// <summary>Pilot PWM duty, per-mille (1000 steady, 0 state F).</summary>
        public int DutyPermille;

        /// <summary>Current the pilot offers, mA (0 when not offering).</summary>
        public int OfferedMa;

        /// <summary>Cable rating, A (0 none).</summary>
        public int CableA;

        /// <summary>Contactor commanded closed.</summary>
        public bool ContactorClosed;

        /// <summary>Contactor feedback closed.</summary>
        public bool ContactorFeedback;

        /// <summary>Consent state, a <c>Consent.ConsentStates</c> constant (<c>ConsentStates.ToWire</c> gives the status topic's value).</summary>
        public int Consent;

        /// <summary>Current session id, or null.</summary>
        public string? SessionId;

        /// <summary>Vehicle id (from the power-line link), or null.</summary>
        public string? VehicleId;

        /// <summary>True when the SOC is known and fresh.</summary>
        public bool SocKnown;

        /// <summary>SOC in per-mille.</summary>
        public int SocPermille;

        /// <summary>Age of the SOC reading, ms (-1 never read).</summary>
        public long SocAgeMs;

        /// <summary>The vehicle's usable battery capacity, Wh (0 unknown).</summary>
        public int CapacityWh;

        /// <summary>Most power the charger can put into this vehicle now (supply, cable, vehicle, converter, temperature), W; 0 with no vehicle.</summary>
        public int MaxChargeW;

        /// <summary>Most power the charger can take out of this vehicle now, W; 0 with no vehicle or when the vehicle does not say (no discharge then).</summary>
        public int MaxDischargeW;

        /// <summary>Measured power, W (+ into the car).</summary>
        public int PowerW;

        /// <summary>Commanded setpoint, W.</summary>
        public int SetpointW;

        /// <summary>The arbiter's reason code for the setpoint.</summary>
        public int Reason;

        /// <summary>True when the aggregator controls the power now.</summary>
        public bool AggregatorInControl;

        /// <summary>Active dispatch id, or null.</summary>
        public string? DispatchId;

        /// <summary>Name of the conditions in force, or null.</summary>
        public string? ConditionsName;

        /// <summary>True while consent is granted, so conditions are in force (the fields below mean something).</summary>
        public bool HasConditions;

        /// <summary>The state of charge the conditions keep, per-mille.</summary>
        public int KeptSocPermille;

        /// <summary>The driver's lowest selling price, milli-currency per kWh.</summary>
        public int MinSellPriceMilli;

        /// <summary>The driver's highest buying price, milli-currency per kWh.</summary>
        public int MaxBuyPriceMilli;

        /// <summary>True when the driver left prices to the aggregator.</summary>
        public bool Delegated;

        /// <summary>True when consent is granted and now lies inside the driver's windows (or there are none).</summary>
        public bool InWindow;

        /// <summary>Active faults, bit mask of <c>FaultCode</c>.</summary>
        public int Faults;

        /// <summary>Why the converter cannot be driven (a <c>ConverterProblems</c> code, 0 none).</summary>
        public int ConverterProblem;

        /// <summary>The number that goes with <see cref="ConverterProblem"/> (exception code, raw value).</summary>
        public int ConverterProblemDetail;

        /// <summary>Why the ISO 15118 module's data cannot be used (a <c>ModemProblems</c> code, 0 none).</summary>
        public int ModemProblem;

        /// <summary>The number that goes with <see cref="ModemProblem"/>.</summary>
        public int ModemProblemDetail;

        /// <summary>Measured voltage, mV.</summary>
        public int VoltageMv;

        /// <summary>Measured current, mA.</summary>
        public int CurrentMa;

        /// <summary>Energy into the car this session, Wh.</summary>
        public long SessionImportWh;

        /// <summary>Energy out of the car this session, Wh.</summary>
        public long SessionExportWh;

        /// <summary>Temperature, deci-°C (int.MinValue when unknown).</summary>
        public int TemperatureDeciC;

        /// <summary>Thermal derating, per-mille of power allowed.</summary>
        public int DeratingPermille;

        /// <summary>Wall time of the snapshot, Unix ms.</summary>
        public long UtcMs;

        /// <summary>True when wall time is synchronised.</summary>
        public bool ClockSynced;

        /// <summary>Ticks run since start.</summary>
        public long Ticks;

        /// <summary>Ticks that started more than half a period late since start (the loop overran or was starved).</summary>
        public int LateTicks;

        /// <summary>Events refused by the full inbox since start.</summary>
        public int InboxDropped;

        /// <summary>True when a technician disabled the charger.</summary>
        public bool Disabled;

        /// <summary>Copies every field from <paramref name="o"/>.</summary>
        public void CopyFrom(ChargerStatus o)
        {
            State = o.State;
            Pilot = o.Pilot;
            PilotHighMv = o.PilotHighMv;
            PilotLowMv = o.PilotLowMv;
            DutyPermille = o.DutyPermille;
            OfferedMa = o.OfferedMa;
            CableA = o.CableA;
            ContactorClosed = o.ContactorClosed;
            ContactorFeedback = o.ContactorFeedback;
            Consent = o.Consent;
            SessionId = o.SessionId;
            VehicleId = o.VehicleId;
            SocKnown = o.SocKnown;
            SocPermille = o.SocPermille;
            SocAgeMs = o.SocAgeMs;
            CapacityWh = o.CapacityWh;
            MaxChargeW = o.MaxChargeW;
            MaxDischargeW = o.MaxDischargeW;
            PowerW = o.PowerW;
            SetpointW = o.SetpointW;
            Reason = o.Reason;
            AggregatorInControl = o.AggregatorInControl;
            DispatchId = o.DispatchId;
            ConditionsName = o.ConditionsName;
            HasConditions = o.HasConditions;
            KeptSocPermille = o.KeptSocPermille;
            MinSellPriceMilli = o.MinSellPriceMilli;
            MaxBuyPriceMilli = o.MaxBuyPriceMilli;
            Delegated = o.Delegated;
            InWindow = o.InWindow;
            Faults = o.Faults;
            ConverterProblem = o.ConverterProblem;
            ConverterProblemDetail = o.ConverterProblemDetail;
            ModemProblem = o.ModemProblem;
            ModemProblemDetail = o.ModemProblemDetail;
            VoltageMv = o.VoltageMv;
            CurrentMa = o.CurrentMa;
            SessionImportWh = o.SessionImportWh;
            SessionExportWh = o.SessionExportWh;
            TemperatureDeciC = o.TemperatureDeciC;
            DeratingPermille = o.DeratingPermille;
            UtcMs = o.UtcMs;
            ClockSynced = o.ClockSynced;
            Ticks = o.Ticks;
            LateTicks = o.LateTicks;
            InboxDropped = o.InboxDropped;
            Disabled = o.Disabled;
        }
    }
}
