namespace ChargerFirmware.DeviceTests.Measure
{
    /// <summary>
    /// One operation measured on both runtimes (nanoCLR by this program, .NET by Bench): set up once,
    /// run many times. Work that keeps the state steady but is not the operation (draining the outbox,
    /// compacting the journal) goes in <see cref="Maintain"/>, which the timing runs between batches
    /// and the allocation count not at all: <see cref="Runs"/> runs must keep their state without it.
    /// </summary>
    public abstract class Operation
    {
        /// <summary>Operations between two calls of <see cref="Maintain"/>.</summary>
        public const int Batch = 256;

        /// <summary>
        /// Runs counted for allocation: the probe's 16 KB headroom over this many runs is its resolution
        /// (4 B per run by default; the control tick and the arbiter take 1 B, one 12-byte block every
        /// dozen runs).
        /// </summary>
        public virtual int Runs
        {
            get { return 4096; }
        }

        /// <summary>The operation's name in reports ("control tick, idle").</summary>
        public abstract string Name { get; }

        /// <summary>The most it may allocate per run on nanoCLR, bytes (0: nothing).</summary>
        public virtual int AllowedBytes
        {
            get { return 0; }
        }

        /// <summary>True when it must allocate exactly <see cref="AllowedBytes"/> per run (the probe's calibration).</summary>
        public virtual bool Exact
        {
            get { return false; }
        }

        /// <summary>Why it may allocate (shown beside <see cref="AllowedBytes"/>), or null.</summary>
        public virtual string? Allowance
        {
            get { return null; }
        }

        /// <summary>Runs the operation once.</summary>
        public abstract void Run();

        /// <summary>Keeps the state steady between batches (not measured).</summary>
        public virtual void Maintain()
        {
        }
    }
}
