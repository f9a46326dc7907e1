namespace ChargerFirmware.DeviceTests.Measure
{
    /// <summary>
    /// One operation measured on both runtimes (nanoCLR by this program, .NET by Bench): set up once,
    /// run many times. Work that keeps the state steady but is not the operation (draining the outbox,
    /// compacting the journal) goes in <see cref="Maintain"/>, which the measurements leave out.
    /// </summary>
    public abstract class Operation
    {
        /// <summary>Operations between two calls of <see cref="Maintain"/>.</summary>
        public const int Batch = 256;

        /// <summary>Runs counted for allocation: enough that one 12-byte allocation every few runs shows.</summary>
        public virtual int Runs
        {
            get { return 2048; }
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
