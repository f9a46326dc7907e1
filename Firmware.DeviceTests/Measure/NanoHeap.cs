namespace ChargerFirmware.DeviceTests.Measure
{
    /// <summary>
    /// The free heap as nanoCLR counts it, after a full collection. Only on nanoCLR, and only when the
    /// program was built with the nanoCLR tools at hand (their nanoFramework.Runtime.Native); never call
    /// it on .NET. nanoCLR leaves out one block per free gap, so a difference of two readings is exact
    /// only when the free space is one region: with <see cref="Compact"/> every reading compacts the heap
    /// first (the 32-bit build can; the 64-bit one faults, so it reads without).
    /// </summary>
    public static class NanoHeap
    {
        /// <summary>True when <see cref="Free"/> can read the heap.</summary>
        public static bool Readable
        {
            get
            {
#if NANOCLR_TOOLS
                return true;
#else
                return false;
#endif
            }
        }

        /// <summary>True to compact the heap at every reading (set once the build is known to be 32-bit).</summary>
        public static bool Compact { get; set; }

        /// <summary>Free heap after a full collection, bytes; -1 when it cannot be read.</summary>
        public static long Free()
        {
#if NANOCLR_TOOLS
            return nanoFramework.Runtime.Native.GC.Run(Compact);
#else
            return -1;
#endif
        }
    }
}
