namespace ChargerFirmware.DeviceTests.Measure
{
    /// <summary>
    /// The free heap as nanoCLR counts it, after a full collection. Only on nanoCLR, and only when the
    /// program was built with the nanoCLR tools at hand (their nanoFramework.Runtime.Native); never call
    /// it on .NET. It never compacts: compacting (GC.Run(true)) crashes the 64-bit build at once and
    /// leaves the 32-bit one's heap corrupt, so that a later collection faults. nanoCLR leaves one block
    /// per free gap out of its count, so a difference of two readings may be off by a few blocks.
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

        /// <summary>Free heap after a full collection, bytes; -1 when it cannot be read.</summary>
        public static long Free()
        {
#if NANOCLR_TOOLS
            return nanoFramework.Runtime.Native.GC.Run(false);
#else
            return -1;
#endif
        }
    }
}
