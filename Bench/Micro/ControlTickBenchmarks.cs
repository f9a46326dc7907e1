using BenchmarkDotNet.Attributes;
using ChargerFirmware.Bench.Rig;

namespace ChargerFirmware.Bench.Micro;

/// <summary>
/// One full control tick (Charger.Tick through ControlLoop.RunOnce, on a manual clock over virtual
/// parts) in the three steady states a charger spends its life in.
/// </summary>
[MemoryDiagnoser]
public class ControlTickBenchmarks
{
    private SteadySession _idle = null!;
    private SteadySession _charging = null!;
    private SteadySession _discharging = null!;

    [GlobalSetup]
    public void Setup()
    {
        _idle = SteadySession.Idle();
        _charging = SteadySession.Charging();
        _discharging = SteadySession.Discharging();
    }

    [Benchmark(Description = "control tick, idle")]
    public void IdleTick() => _idle.Tick();

    [Benchmark(Description = "control tick, charging")]
    public void ChargingTick() => _charging.Tick();

    [Benchmark(Description = "control tick, discharging (dispatch)")]
    public void DischargingTick() => _discharging.Tick();
}
