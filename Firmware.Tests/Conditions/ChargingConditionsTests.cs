using ChargerFirmware.Conditions;
using ChargerFirmware.Protocol.Messages;
using Xunit;

namespace ChargerFirmware.Tests.Conditions;

public class ChargingConditionsTests
{
    private static ChargingConditions Valid() => new("custom", 500, 25_000, 15_000, false, Settlement.Points);

    [Fact]
    public void Valid_conditions_pass()
    {
        Assert.Equal(ConditionErrors.None, Valid().Validate());
    }

    [Theory]
    [InlineData(-1, ConditionErrors.FloorOutOfRange)]
    [InlineData(0, ConditionErrors.None)]
    [InlineData(1000, ConditionErrors.None)]
    [InlineData(1001, ConditionErrors.FloorOutOfRange)]
    public void The_floor_must_be_0_to_1000_per_mille(int kept, int expected)
    {
        var conditions = Valid();
        conditions.KeptSocPermille = kept;
        Assert.Equal(expected, conditions.Validate());
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(0, -1)]
    [InlineData(ChargingConditions.MaxPriceMilli + 1, 0)]
    [InlineData(0, ChargingConditions.MaxPriceMilli + 1)]
    public void Prices_must_be_in_range(int minSell, int maxBuy)
    {
        var conditions = Valid();
        conditions.MinSellPriceMilli = minSell;
        conditions.MaxBuyPriceMilli = maxBuy;
        Assert.Equal(ConditionErrors.PriceOutOfRange, conditions.Validate());
    }

    [Theory]
    [InlineData("")]
    [InlineData("a-name-that-is-far-too-long")]
    [InlineData("caf\u00e9")]
    [InlineData("tab\there")]
    public void Names_must_be_short_printable_ascii(string name)
    {
        var conditions = Valid();
        conditions.Name = name;
        Assert.Equal(ConditionErrors.BadName, conditions.Validate());
    }

    [Fact]
    public void The_settlement_must_be_a_known_choice()
    {
        var conditions = Valid();
        conditions.Settlement = Settlement.Unspecified;
        Assert.Equal(ConditionErrors.BadSettlement, conditions.Validate());
        conditions.Settlement = Settlement.Names.Max + 1;
        Assert.Equal(ConditionErrors.BadSettlement, conditions.Validate());
    }

    [Fact]
    public void A_copy_is_equal_and_independent()
    {
        var source = Valid();
        source.Delegated = true;
        Assert.True(source.Windows.Add(DayMasks.Weekdays, 1320, 360));
        var copy = new ChargingConditions();
        copy.CopyFrom(source);
        source.Windows.Clear();
        source.KeptSocPermille = 900;

        Assert.Equal("custom", copy.Name);
        Assert.Equal(500, copy.KeptSocPermille);
        Assert.Equal(25_000, copy.MinSellPriceMilli);
        Assert.Equal(15_000, copy.MaxBuyPriceMilli);
        Assert.True(copy.Delegated);
        Assert.Equal(Settlement.Points, copy.Settlement);
        Assert.Equal(1, copy.Windows.Count);
        Assert.Equal(DayMasks.Weekdays, copy.Windows.DayMask(0));
        Assert.Equal(1320, copy.Windows.StartMinute(0));
        Assert.Equal(360, copy.Windows.EndMinute(0));
    }

    [Fact]
    public void Names_on_the_wire_are_explicit()
    {
        Assert.Equal(["ok", "bad-name", "price-out-of-range", "floor-out-of-range", "bad-window", "bad-settlement"],
            Enumerable.Range(0, 6).Select(ConditionErrors.Name));
        Assert.Equal(["offset", "points", "payout", null], new[] { 1, 2, 3, Settlement.Unspecified }.Select(Settlement.Names.Name));
        Assert.Equal([1, 2, 3, Settlement.Unspecified], new[] { "offset", "points", "payout", "cash" }.Select(Settlement.Names.Parse));
    }
}
