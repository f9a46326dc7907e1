using ChargerFirmware.Aggregator.Dispatch;
using Xunit;

namespace ChargerFirmware.Aggregator.Tests.Dispatch;

/// <summary>The planner's choice of vehicles and price, as a pure function.</summary>
public class PlannerTests
{
    private static Candidate Car(string id, int soc = 80, int kept = 50, long capacity = 40_000, int maxW = 7_000, long? minSell = 25_000,
        long? maxBuy = 15_000, bool delegated = false) => new(id, null, soc, kept, capacity, maxW, minSell, maxBuy, delegated);

    [Fact]
    public void The_sell_price_rises_with_the_shortfall_until_enough_drivers_minimums_are_met()
    {
        Candidate[] cars = [Car("a", minSell: 18_000), Car("b", minSell: 22_000), Car("c", minSell: 26_000), Car("d", minSell: 40_000)];

        Plan small = Planner.Make(down: true, 7_000, 900, 18_000, 36_000, 4_000, null, cars, 1_100, 1_000);
        Plan medium = Planner.Make(down: true, 14_000, 900, 18_000, 36_000, 4_000, null, cars, 1_100, 1_000);
        Plan large = Planner.Make(down: true, 21_000, 900, 18_000, 36_000, 4_000, null, cars, 1_100, 1_000);
        Plan huge = Planner.Make(down: true, 50_000, 900, 18_000, 36_000, 4_000, null, cars, 1_100, 1_000);

        Assert.Equal((18_000L, 0L), (small.PriceMilli, small.ShortfallW));
        Assert.Equal((22_000L, 0L), (medium.PriceMilli, medium.ShortfallW));
        Assert.Equal((26_000L, 0L), (large.PriceMilli, large.ShortfallW));
        Assert.Equal(36_000L, huge.PriceMilli); // at the operator's limit: d's 40 stays out
        Assert.Equal(21_000, huge.PlannedW);
        Assert.DoesNotContain(huge.Picks, p => p.Vehicle.ChargerId == "d");
        Assert.All(huge.Picks, p => Assert.True(p.SetpointW < 0));
    }

    [Fact]
    public void The_buy_price_falls_on_an_up_response_and_a_replan_never_lowers_the_incentive()
    {
        Candidate[] cars = [Car("a", soc: 40, maxBuy: 12_000), Car("b", soc: 40, maxBuy: 9_000)];

        Plan first = Planner.Make(down: false, 7_000, 900, 12_000, 6_000, 2_000, null, cars, 1_100, 1_000);
        Plan more = Planner.Make(down: false, 14_000, 900, 12_000, 6_000, 2_000, null, cars, 1_100, 1_000);
        Plan replan = Planner.Make(down: false, 7_000, 900, 12_000, 6_000, 2_000, fromMilli: 8_000, [cars[0]], 1_100, 1_000);

        Assert.Equal(12_000, first.PriceMilli);
        Assert.Equal(8_000, more.PriceMilli);
        Assert.Equal(8_000, replan.PriceMilli);
        Assert.All(more.Picks, p => Assert.True(p.SetpointW > 0));
    }

    [Fact]
    public void A_vehicle_gives_no_more_than_its_energy_above_the_kept_level_allows_over_the_duration()
    {
        // 40 kWh at 55 %, keep 50 %: 2 kWh over 15 minutes with a 10 % margin is 7.27 kW (the charger gives 7); at 52 %, 0.8 kWh: 2.9 kW.
        Assert.Equal(7_000, Planner.Power(Car("a", soc: 55), down: true, 900, 1_100));
        Assert.Equal(2_909, Planner.Power(Car("a", soc: 52), down: true, 900, 1_100));
        Assert.Equal(0, Planner.Power(Car("a", soc: 50), down: true, 900, 1_100));
        Assert.Equal(0, Planner.Power(Car("a", soc: 100), down: false, 900, 1_100));

        Plan plan = Planner.Make(down: true, 10_000, 900, 30_000, 30_000, 0, null, [Car("low", soc: 50), Car("some", soc: 52), Car("full", soc: 90)], 1_100, 1_000);
        Assert.Equal(["full", "some"], plan.Picks.Select(p => p.Vehicle.ChargerId));
        Assert.Equal([-7_000, -2_909], plan.Picks.Select(p => p.SetpointW));
        Assert.Equal(91, plan.ShortfallW);
    }

    [Fact]
    public void Delegated_drivers_and_unknown_bounds_admit_any_price_and_picks_are_repeatable()
    {
        Candidate[] cars = [Car("z", minSell: 99_000, delegated: true), Car("y", minSell: null), Car("x", minSell: 99_000)];

        Plan plan = Planner.Make(down: true, 14_000, 900, 18_000, 18_000, 0, null, cars, 1_100, 1_000);
        Plan again = Planner.Make(down: true, 14_000, 900, 18_000, 18_000, 0, null, [.. cars.Reverse()], 1_100, 1_000);

        Assert.Equal(["y", "z"], plan.Picks.Select(p => p.Vehicle.ChargerId));
        Assert.Equal(plan.Picks.Select(p => (p.Vehicle.ChargerId, p.SetpointW)), again.Picks.Select(p => (p.Vehicle.ChargerId, p.SetpointW)));
    }

    [Fact]
    public void No_order_is_smaller_than_the_minimum()
    {
        Plan plan = Planner.Make(down: true, 7_500, 900, 30_000, 30_000, 0, null, [Car("a"), Car("b")], 1_100, 1_000);
        Assert.Equal([-7_000], plan.Picks.Select(p => p.SetpointW));
        Assert.Equal(500, plan.ShortfallW);
    }
}
