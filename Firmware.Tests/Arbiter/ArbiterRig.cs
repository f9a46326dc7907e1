using ChargerFirmware.Arbiter;
using ChargerFirmware.Conditions;
using ChargerFirmware.Consent;
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
        In.PowerAllowed = true;
        In.UtcValid = true;
        In.ConsentState = ConsentStates.Granted;
        In.Conditions = Conditions;
        In.PricesValid = true;
        In.BuyPriceMilli = 14_000;
        In.SellPriceMilli = 28_000;
        In.SocKnown = true;
        In.SocPermille = 600;
        In.SocAgeMs = 1_000;
        In.VehicleMaxChargeW = 11_000;
        In.VehicleMaxDischargeW = 6_000;
        In.ChargeLimitW = 7_400;
        In.DischargeLimitW = 7_400;
        In.ConverterMaxChargeW = 9_000;
        In.ConverterMaxDischargeW = 9_000;
        In.ThermalDeratingPermille = 1000;
    }

    public ManualClock Clock { get; } = new();

    public ArbiterOptions Options { get; } = new();

    public PowerArbiter Arbiter { get; }

    public ArbiterInputs In { get; } = new();

    public ArbiterDecision Out { get; } = new();

    public ChargingConditions Conditions { get; } = new("balanced", 500, 25_000, 15_000, false, Settlements.Offset);

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
