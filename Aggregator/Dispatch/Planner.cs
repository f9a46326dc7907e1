namespace ChargerFirmware.Aggregator.Dispatch;

/// <summary>
/// A plugged-in vehicle the planner may use, as its charger's status and the accounts describe it.
/// Prices in milli-currency per kWh; null bounds are not known (the charger still enforces its own).
/// </summary>
public sealed record Candidate(string ChargerId, long? UserId, int SocPct, int KeptSocPct, long CapacityWh, int MaxW,
    long? MinSellMilli, long? MaxBuyMilli, bool Delegated);

/// <summary>One order of a plan: the vehicle and its setpoint, W (negative discharges).</summary>
public sealed record Pick(Candidate Vehicle, int SetpointW);

/// <summary>A plan: the price offered, the orders, the power they cover and what is still missing, W.</summary>
public sealed record Plan(long PriceMilli, IReadOnlyList<Pick> Picks, long PlannedW, long ShortfallW);

/// <summary>
/// The dispatch planner, a pure function of the candidates. For a <b>down</b> demand response
/// (the grid is short: discharge) it offers a sell price; for an <b>up</b> one (surplus: charge) a
/// buy price. It walks a ladder of prices from the operator's base price towards the limit in
/// steps — higher sell prices on down, lower buy prices on up — and stops at the first price at
/// which the vehicles that admit it can cover the shortfall; so the incentive grows with the
/// shortfall, and a re-plan after refusals starts from the price already offered (it never falls
/// within one demand response). A vehicle admits a price when the driver delegated control, or its
/// minimum sell price is at or below it (down), or its maximum buy price at or above it (up).
/// A vehicle can give at most its charger's power and, over the order's duration, the energy it
/// holds above the driver's kept state of charge (down) or the room left below full (up), with a
/// margin. Bigger contributions first (fewer orders), then the charger id, so a plan is repeatable.
/// </summary>
public static class Planner
{
    /// <summary>Makes the plan.</summary>
    /// <param name="down">True for a down demand response (discharge), false for up (charge).</param>
    /// <param name="shortfallW">Power still needed, W (positive).</param>
    /// <param name="durationS">How long the orders run, s.</param>
    /// <param name="baseMilli">Price to start from.</param>
    /// <param name="limitMilli">Highest sell price (down) or lowest buy price (up) the operator allows.</param>
    /// <param name="stepMilli">Price step of the ladder (0: the base price only).</param>
    /// <param name="fromMilli">Price already offered in this demand response (the ladder starts there), or null.</param>
    /// <param name="candidates">The vehicles.</param>
    /// <param name="marginPermille">Energy a vehicle must hold per unit it is asked for, per-mille (1100: 10 % more).</param>
    /// <param name="minOrderW">Smallest order, W.</param>
    public static Plan Make(bool down, long shortfallW, int durationS, long baseMilli, long limitMilli, long stepMilli, long? fromMilli,
        IReadOnlyList<Candidate> candidates, int marginPermille, int minOrderW)
    {
        List<long> ladder = Ladder(down, baseMilli, limitMilli, stepMilli, fromMilli);
        List<(Candidate Vehicle, int PowerW)> usable = [.. candidates
            .Select(c => (c, Power(c, down, durationS, marginPermille)))
            .Where(x => x.Item2 >= minOrderW)
            .OrderByDescending(x => x.Item2)
            .ThenBy(x => x.c.ChargerId, StringComparer.Ordinal)];

        long price = ladder[^1];
        foreach (long p in ladder)
        {
            if (usable.Where(x => Admits(x.Vehicle, down, p)).Sum(x => (long)x.PowerW) >= shortfallW)
            {
                price = p;
                break;
            }
        }

        var picks = new List<Pick>();
        long remaining = shortfallW;
        foreach ((Candidate vehicle, int power) in usable.Where(x => Admits(x.Vehicle, down, price)))
        {
            if (remaining < minOrderW)
            {
                break;
            }

            int w = (int)Math.Min(power, remaining);
            picks.Add(new Pick(vehicle, down ? -w : w));
            remaining -= w;
        }

        return new Plan(price, picks, shortfallW - remaining, Math.Max(0, remaining));
    }

    /// <summary>True when <paramref name="c"/> takes an order at <paramref name="priceMilli"/>.</summary>
    public static bool Admits(Candidate c, bool down, long priceMilli) =>
        c.Delegated || (down ? c.MinSellMilli is null || c.MinSellMilli <= priceMilli : c.MaxBuyMilli is null || c.MaxBuyMilli >= priceMilli);

    /// <summary>The power <paramref name="c"/> can hold for <paramref name="durationS"/>, W (0 when it cannot take part).</summary>
    public static int Power(Candidate c, bool down, int durationS, int marginPermille)
    {
        long energyWh = down
            ? (long)Math.Max(0, c.SocPct - c.KeptSocPct) * c.CapacityWh / 100
            : (long)Math.Max(0, 100 - c.SocPct) * c.CapacityWh / 100;
        long sustainable = energyWh * 3600 * 1000 / ((long)Math.Max(1, durationS) * Math.Max(1000, marginPermille));
        return (int)Math.Min(c.MaxW, sustainable);
    }

    private static List<long> Ladder(bool down, long baseMilli, long limitMilli, long stepMilli, long? fromMilli)
    {
        // Down: base up to the limit (sell prices rise); up: base down to the limit (buy prices fall).
        long start = fromMilli is long from ? (down ? Math.Max(baseMilli, from) : Math.Min(baseMilli, from)) : baseMilli;
        long limit = down ? Math.Max(limitMilli, start) : Math.Min(limitMilli, start);
        var ladder = new List<long> { start };
        if (stepMilli <= 0)
        {
            return ladder;
        }

        for (long p = start + (down ? stepMilli : -stepMilli); down ? p < limit : p > limit; p += down ? stepMilli : -stepMilli)
        {
            ladder.Add(p);
        }

        if (ladder[^1] != limit)
        {
            ladder.Add(limit);
        }

        return ladder;
    }
}
