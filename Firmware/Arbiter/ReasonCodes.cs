namespace ChargerFirmware.Arbiter
{
    /// <summary>
    /// Why the arbiter chose a setpoint (<see cref="ArbiterDecision.Reason"/>) and which limit set it
    /// (<see cref="ArbiterDecision.LimitReason"/>). Int constants with explicit wire names.
    /// </summary>
    public static class ReasonCodes
    {
        /// <summary>No reason (a <see cref="ArbiterDecision.LimitReason"/> when no limit bit).</summary>
        public const int None = 0;

        /// <summary>Power may not flow (no vehicle ready, contactor open): 0.</summary>
        public const int NotReady = 1;

        /// <summary>A fault is active: 0.</summary>
        public const int Fault = 2;

        /// <summary>The driver has not answered yet: 0.</summary>
        public const int AwaitingConsent = 3;

        /// <summary>The driver refused, did not answer or stopped sharing: plain charging for the driver.</summary>
        public const int NoConsent = 4;

        /// <summary>The car is not offered to the aggregator (no consent session): plain charging for the driver.</summary>
        public const int PlainCharging = 5;

        /// <summary>Consent, but no state of charge: the floor cannot be proven, so plain charging and no discharge.</summary>
        public const int SocUnknown = 6;

        /// <summary>Consent, but the state of charge is too old: treated as unknown.</summary>
        public const int SocStale = 7;

        /// <summary>Below the driver's kept state of charge: charging towards it at the allowed maximum, whatever the dispatch.</summary>
        public const int BelowFloor = 8;

        /// <summary>A discharge was asked at (or just above, within the hysteresis) the floor: 0.</summary>
        public const int AtFloor = 9;

        /// <summary>The driver set time windows but wall time is not synchronised: treated as outside, plain charging.</summary>
        public const int TimeUnknown = 10;

        /// <summary>Outside the driver's time windows: the aggregator has no control, plain charging.</summary>
        public const int OutsideWindow = 11;

        /// <summary>Consent and the floor reached, but no dispatch: 0.</summary>
        public const int AwaitingDispatch = 12;

        /// <summary>The driver's price conditions apply but no price is in force: the dispatch is refused, 0.</summary>
        public const int PriceUnknown = 13;

        /// <summary>The selling price is below the driver's minimum: the discharge is refused, 0.</summary>
        public const int PriceBelowMinimum = 14;

        /// <summary>The buying price is above the driver's maximum: the aggregator's charge is refused, 0.</summary>
        public const int PriceAboveMaximum = 15;

        /// <summary>Following the aggregator's dispatch.</summary>
        public const int Dispatch = 16;

        /// <summary>Limited by the cable rating or the pilot's offered current.</summary>
        public const int LimitedByCable = 17;

        /// <summary>Limited by the vehicle's maximum (or its unknown discharge limit).</summary>
        public const int LimitedByVehicle = 18;

        /// <summary>Limited by the power converter's rating.</summary>
        public const int LimitedByConverter = 19;

        /// <summary>Limited by thermal derating.</summary>
        public const int LimitedByTemperature = 20;

        /// <summary>Consent, but the car's battery capacity is unknown: the floor cannot be predicted, so no discharge.</summary>
        public const int CapacityUnknown = 21;

        /// <summary>The buying price is above the charger's configured ceiling (which delegation does not waive): refused, 0.</summary>
        public const int PriceAboveCeiling = 22;

        /// <summary>The selling price is below the charger's configured floor (which delegation does not waive): refused, 0.</summary>
        public const int PriceBelowFloor = 23;

        /// <summary>The wire name of <paramref name="code"/>, e.g. no-consent, below-floor, limited-by-cable.</summary>
        public static string Name(int code)
        {
            return code >= 0 && code < Names.Length ? Names[code] : Unknown;
        }

        // A table, not a switch of literals: on nanoFramework every load of a literal allocates a new string.
        private static readonly string[] Names =
        {
            "none", "not-ready", "fault", "awaiting-consent", "no-consent", "plain-charging", "soc-unknown", "soc-stale",
            "below-floor", "at-floor", "time-unknown", "outside-window", "awaiting-dispatch", "price-unknown",
            "price-below-minimum", "price-above-maximum", "dispatch", "limited-by-cable", "limited-by-vehicle",
            "limited-by-converter", "limited-by-temperature", "capacity-unknown", "price-above-ceiling", "price-below-floor",
        };

        private static readonly string Unknown = "unknown";
    }
}
