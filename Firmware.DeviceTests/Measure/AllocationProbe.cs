using System;

namespace ChargerFirmware.DeviceTests.Measure
{
    /// <summary>
    /// Counts what an operation allocates on nanoCLR, which has no allocation counter: the heap is
    /// filled with ballast until <see cref="Headroom"/> bytes are free (<see cref="Left"/>, a little more), then every collection seen
    /// while the operation runs (a weak reference to a fresh object found cleared) means the
    /// headroom was used up once. With <c>c</c> collections over <c>n</c> runs the operation
    /// allocates between c × headroom / n and (c + 1) × headroom / n bytes per run.
    /// </summary>
    public sealed class AllocationProbe
    {
        /// <summary>Free bytes left beside the ballast.</summary>
        public const int Headroom = 4 * 1024;

        private const int Chunk = 16 * 1024;

        private object[] _ballast = new object[0];

        /// <summary>Collections counted by the last <see cref="Count"/>.</summary>
        public int Collections { get; private set; }

        /// <summary>Runs the operation <paramref name="runs"/> times (maintained between batches, outside the count) and counts collections.</summary>
        public void Count(Operation operation, int runs)
        {
            Fill();
            Collections = 0;
            Runs = runs;
            WeakReference canary = new WeakReference(new object());
            for (int done = 0; done < runs;)
            {
                for (int i = 0; i < Operation.Batch && done < runs; i++, done++)
                {
                    operation.Run();
                    if ((i & 15) == 15 && !canary.IsAlive)
                    {
                        Collections++;
                        canary = new WeakReference(new object());
                    }
                }

                if (!canary.IsAlive)
                {
                    Collections++;
                }

                // Maintenance may allocate: it runs outside the count, and the headroom is restored after it.
                operation.Maintain();
                NanoHeap.Free();
                canary = new WeakReference(new object());
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

        // Ballast in 16 KB chunks (one huge array cannot be allocated), then smaller ones down to the
        // headroom, a few at a time with the free heap read again: the free space is not one block,
        // so a size the heap can no longer place (out of memory) moves on to a smaller one.
        private void Fill()
        {
            _ballast = new object[8192];
            int used = 0;
            int size = Chunk;
            while (size >= 64 && used < _ballast.Length)
            {
                long spare = NanoHeap.Free() - Headroom - 4L * size;
                if (spare <= 0)
                {
                    size /= 4;
                    continue;
                }

                try
                {
                    long count = spare / (2 * size) + 1;
                    for (long i = 0; i < count && i < 16 && used < _ballast.Length; i++)
                    {
                        _ballast[used++] = new byte[size];
                    }
                }
                catch (OutOfMemoryException)
                {
                    size /= 4;
                }
            }

            Left = NanoHeap.Free();
        }

        /// <summary>Free bytes beside the ballast at the last count's start.</summary>
        public long Left { get; private set; }

        private void Release()
        {
            _ballast = new object[0];
            NanoHeap.Free();
        }
    }
}
