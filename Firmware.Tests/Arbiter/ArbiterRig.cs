using ChargerFirmware.Arbiter;
using ChargerFirmware.Conditions;
using ChargerFirmware.Consent;
using ChargerFirmware.Protocol.Messages;
using ChargerFirmware.VirtualHardware;

namespace ChargerFirmware.Tests.Arbiter;

/// <summary>
/// An arbiter with a manual clock and inputs of a consenting driver on the balanced preset (keep
/// 50 %, sell at 25 or more, buy at 15 or less), SOC 60 %, prices sell 28 / buy 14, no dispatch,
/// charge cap 7.4 kW by the cable, discharge cap 6 kW by the vehicle.
/// </summary>
internal sealed class ArbiterRig
{
    public const int TickMs = 100;

    public ArbiterRig()
    {
        Arbiter = new PowerArbiter(Options);
        FillTypical(In);
        In.UtcValid = true;
        In.ConsentState = ConsentStates.Granted;
        In.Conditions = Conditions;
        In.SocKnown = true;
        In.SocPermille = 600;
        In.SocAgeMs = 1_000;
    }

    /// <summary>Power allowed, prices sell 28 / buy 14, cable 7.4 kW, vehicle 40 kWh, 11 kW / 6 kW, converter 9 kW, no derating.</summary>
    public static void FillTypical(ArbiterInputs input)
    {
        input.PowerAllowed = true;
        input.VehicleCapacityWh = 40_000;
        input.PricesValid = true;
        input.BuyPriceMilli = 14_000;
        input.SellPriceMilli = 28_000;
        input.VehicleMaxChargeW = 11_000;
        input.VehicleMaxDischargeW = 6_000;
        input.ChargeLimitW = 7_400;
        input.DischargeLimitW = 7_400;
        input.ConverterMaxChargeW = 9_000;
        input.ConverterMaxDischargeW = 9_000;
        input.ThermalDeratingPermille = 1000;
    }

    public ManualClock Clock { get; } = new();

    public ArbiterOptions Options { get; } = new();

    public PowerArbiter Arbiter { get; }

    public ArbiterInputs In { get; } = new();

    public ArbiterDecision Out { get; } = new();

    public ChargingConditions Conditions { get; } = new("balanced", 500, 25_000, 15_000, false, Settlement.Offset);

    public ArbiterDecision Tick(long ms = TickMs)
    {
        Clock.Advance(ms);
        In.MonotonicMs = Clock.MonotonicMs;
        In.UtcMs = Clock.UtcMs;
        Arbiter.Decide(In, Out);
        return Out;
    }

    /// <summary>Ticks long enough for any ramp to finish (20 s).</summary>
    public ArbiterDecision Settle()
    {
        for (int i = 0; i < 200; i++)
        {
            Tick();
        }

        return Out;
    }

    public void Dispatch(int setpointW, string id = "d-1")
    {
        In.HasDispatch = true;
        In.DispatchSetpointW = setpointW;
        In.DispatchId = id;
    }
}
