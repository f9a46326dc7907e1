namespace ChargerFirmware.Bench.Rig;

/// <summary>The managed heap after full collections: what the objects alive at that point retain.</summary>
public static class Heap
{
    public static long Settled()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(true);
    }
}
