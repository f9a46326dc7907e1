using BenchmarkDotNet.Attributes;
using ChargerFirmware.Arbiter;
using ChargerFirmware.Conditions;
using ChargerFirmware.Consent;
using ChargerFirmware.Protocol.Messages;

namespace ChargerFirmware.Bench.Micro;

/// <summary>
/// One arbiter decision while following a dispatch: a consenting driver on the balanced preset with
/// weekly windows, a fresh SOC of 60 %, prices in force, every limit weighed.
/// </summary>
[MemoryDiagnoser]
public class ArbiterBenchmarks
{
    private readonly PowerArbiter _arbiter = new(new ArbiterOptions());
    private readonly ArbiterInputs _in = new();
    private readonly ArbiterDecision _out = new();

    [GlobalSetup]
    public void Setup() => Fill(_in);

    /// <summary>The inputs of the decision measured (also used by the exact allocation count).</summary>
    public static void Fill(ArbiterInputs input)
    {
        var conditions = new ChargingConditions("balanced", 500, 25_000, 15_000, false, Settlement.Offset);
        conditions.Windows.Add(DayMasks.Weekdays, 0, TimeWindows.MinutesPerDay);
        conditions.Windows.Add(DayMasks.Weekend, 0, TimeWindows.MinutesPerDay);
        input.MonotonicMs = 0;
        input.UtcMs = 1_798_761_600_000;
        input.UtcValid = true;
        input.PowerAllowed = true;
        input.ConsentState = ConsentStates.Granted;
        input.Conditions = conditions;
        input.PricesValid = true;
        input.BuyPriceMilli = 14_000;
        input.SellPriceMilli = 28_000;
        input.HasDispatch = true;
        input.DispatchSetpointW = -3_000;
        input.DispatchId = "d-1";
        input.SocKnown = true;
        input.SocPermille = 600;
        input.SocAgeMs = 1_000;
        input.VehicleMaxChargeW = 11_000;
        input.VehicleMaxDischargeW = 6_000;
        input.ChargeLimitW = 7_400;
        input.DischargeLimitW = 7_400;
        input.ConverterMaxChargeW = 9_000;
        input.ConverterMaxDischargeW = 9_000;
        input.ThermalDeratingPermille = 1000;
    }

    /// <summary>Moves time one 20 ms tick on and decides.</summary>
    public static int DecideOnce(PowerArbiter arbiter, ArbiterInputs input, ArbiterDecision output)
    {
        input.MonotonicMs += 20;
        input.UtcMs += 20;
        arbiter.Decide(input, output);
        return output.SetpointW;
    }

    [Benchmark(Description = "arbiter decision")]
    public int Decide() => DecideOnce(_arbiter, _in, _out);
}
