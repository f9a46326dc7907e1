using System;

namespace ChargerFirmware.DeviceTests.Measure
{
    /// <summary>
    /// Counts what an operation allocates on nanoCLR, which has no allocation counter. The heap is
    /// filled to the last block, then a reserve of <see cref="Headroom"/> bytes set aside first is
    /// freed: the operation's allocations can only come from that one region, and each collection
    /// seen while it runs (a weak reference to a fresh object found cleared) means the region was used
    /// up once. With <c>c</c> collections over <c>n</c> runs the operation allocates about
    /// c × headroom / n bytes per run, at most (c + 1) × headroom / n. Filling to the last block
    /// matters (nanoCLR places small objects in any free gap, and gaps beside the ballast would hide
    /// them), and so does running without a collection in between (each would give the region back).
    /// The figures run a little high: the interpreter's stack frames, rebuilt after each collection,
    /// share the region.
    /// </summary>
    public sealed class AllocationProbe
    {
        /// <summary>Free bytes left beside the ballast.</summary>
        public const int Headroom = 16 * 1024;

        private const int Chunk = 4 * 1024;
        private const int Pages = 24;
        private const int PageSlots = 1024;

        private object[] _ballast = new object[0];
        private byte[]? _reserve;
        private WeakReference _canary = Arm();

        /// <summary>Collections counted by the last <see cref="Count"/>.</summary>
        public int Collections { get; private set; }

        /// <summary>Runs the operation <paramref name="runs"/> times (with no maintenance between) and counts collections.</summary>
        public void Count(Operation operation, int runs)
        {
            Fill();
            Collections = 0;
            Runs = runs;
            _canary = Arm();
            for (int i = 0; i < runs; i++)
            {
                operation.Run();
                if ((i & 15) == 15 && !_canary.IsAlive)
                {
                    Collections++;
                    _canary = Arm();
                }
            }

            if (!_canary.IsAlive)
            {
                Collections++;
            }

            Release();
        }

        /// <summary>Runs of the last <see cref="Count"/>.</summary>
        public int Runs { get; private set; }

        /// <summary>The least bytes per run consistent with the last count.</summary>
        public double LowerBound
        {
            get { return (double)Collections * Left / Runs; }
        }

        /// <summary>The most bytes per run consistent with the last count.</summary>
        public double UpperBound
        {
            get { return (double)(Collections + 1) * Left / Runs; }
        }

        // Ballast: the reserve first (one block of the heap), then 4 KB and 1 KB chunks while the free heap
        // leaves a wide margin (it is not one block: a size no gap fits would be out of memory), then
        // single objects, one block each (any gap takes one), until a collection shows none was left.
        private void Fill()
        {
            _ballast = new object[Pages];
            for (int page = 0; page < Pages; page++)
            {
                _ballast[page] = new object[PageSlots];
            }

            _reserve = new byte[Headroom - 12];
            int used = 0;
            for (int size = Chunk; size >= 1024; size /= 4)
            {
                while (used < Pages * PageSlots && NanoHeap.Free() > 64L * size)
                {
                    for (int i = 0; i < 16; i++)
                    {
                        Keep(used++, new byte[size]);
                    }
                }
            }

            WeakReference canary = Arm();
            while (used < Pages * PageSlots && canary.IsAlive)
            {
                Keep(used++, new object());
            }

            _reserve = null;
            Left = NanoHeap.Free();
        }

        // In a call of its own: a long-lived frame's evaluation stack could keep the fresh object reachable.
        private static WeakReference Arm()
        {
            return new WeakReference(new object());
        }

        private void Keep(int slot, object ballast)
        {
            ((object[])_ballast[slot / PageSlots])[slot % PageSlots] = ballast;
        }

        /// <summary>Free bytes at the last count's start (the reserve, as the runtime counts it).</summary>
        public long Left { get; private set; }

        private void Release()
        {
            _ballast = new object[0];
            NanoHeap.Free();
        }
    }
}
