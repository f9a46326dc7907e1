namespace ChargerFirmware.Aggregator;

/// <summary>
/// How the back office runs: money, local time, the planner's rules. Every instance sharing a
/// database must run with the same settings (they are rules of the business, not of a process).
/// </summary>
public sealed record ServerSettings
{
    /// <summary>ISO 4217 currency of every price and amount.</summary>
    public string Currency { get; init; } = "JPY";

    /// <summary>Local time of the business (statements by month, usage by day and hour, windows): minutes east of UTC (Japan: 540).</summary>
    public int UtcOffsetMinutes { get; init; } = 540;

    /// <summary>
    /// Points per currency unit of earnings settled as points, in thousandths (1000 = one point per
    /// JPY earned). Each record keeps the rate it was credited at.
    /// </summary>
    public long PointsRateMilli { get; init; } = 1000;

    /// <summary>Standing buy price (what a driver pays per kWh charged) until an operator sets a tariff, milli-currency.</summary>
    public long DefaultBuyMilli { get; init; } = 12_000;

    /// <summary>Standing sell price (what a driver earns per kWh discharged) until an operator sets a tariff, milli-currency.</summary>
    public long DefaultSellMilli { get; init; } = 18_000;

    /// <summary>Battery capacity assumed for a vehicle nobody registered a capacity for, Wh (a Nissan Leaf's 40 kWh).</summary>
    public long AssumedCapacityWh { get; init; } = 40_000;

    /// <summary>Charger power assumed when the operator set none, W (a 7.4 kW wall box, rounded down).</summary>
    public int AssumedChargerW { get; init; } = 7_000;

    /// <summary>A status older than this (the charger's clock) leaves its vehicle out of a plan, ms.</summary>
    public long StatusMaxAgeMs { get; init; } = 120_000;

    /// <summary>A state of charge older than this leaves the vehicle out (the charger refuses with soc-stale anyway), s.</summary>
    public int SocMaxAgeS { get; init; } = 300;

    /// <summary>Orders go out this long before a demand response starts (they carry startAt), ms.</summary>
    public long LeadMs { get; init; } = 60_000;

    /// <summary>Smallest order the planner sends, W: a smaller shortfall is left as it is.</summary>
    public int MinOrderW { get; init; } = 1_000;

    /// <summary>Energy margin the planner keeps above the driver's kept SOC, per-mille of the order's energy (a vehicle must hold 110 % of what it is asked for).</summary>
    public int EnergyMarginPermille { get; init; } = 1_100;

    /// <summary>An order with no answer after this wall time is given up (and cancelled), ms.</summary>
    public long AckTimeoutMs { get; init; } = 30_000;

    /// <summary>A planning lease on a demand response lasts this wall time unless renewed, ms.</summary>
    public long LeaseMs { get; init; } = 10_000;

    /// <summary>The planner's loop period, wall ms (it also wakes at once when a demand response is declared or an order answered).</summary>
    public int PlannerPeriodMs { get; init; } = 1_000;

    /// <summary>An operator key made at start (none given) works this long, ms; a key given with --operator-key is renewed at each start.</summary>
    public long OperatorKeyMs { get; init; } = 30L * 86_400_000;

    /// <summary>A gap in a charger's ledger older than this (ms of the server's clock) raises an alarm.</summary>
    public long LedgerGapAlarmMs { get; init; } = 120_000;
}
