using System.Diagnostics;
using ChargerFirmware.Drivers;

namespace ChargerFirmware.Bench.Rig;

/// <summary>Real time for the macro benches: a monotonic stopwatch and the synchronised system wall clock.</summary>
public sealed class HostClock : IClock
{
    private readonly long _start = Stopwatch.GetTimestamp();

    public long MonotonicMs => (long)Stopwatch.GetElapsedTime(_start).TotalMilliseconds;

    public long UtcMs => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public bool UtcSynchronized => true;
}
