namespace ChargerFirmware.DeviceTests
{
    /// <summary>
    /// The line format of a device run, shared by the program and its readers (the host suite, Bench):
    /// a kind prefix, then fields separated by <see cref="Separator"/>.
    /// </summary>
    public static class RunFormat
    {
        /// <summary>Between fields.</summary>
        public const string Separator = " | ";

        /// <summary>A line of the session scenario's transcript.</summary>
        public const string Transcript = "scenario | ";

        /// <summary>The interpreter build: "32-bit" or "64-bit" | bytes of one heap block.</summary>
        public const string Runtime = "runtime | ";

        /// <summary>Heap: name | bytes.</summary>
        public const string Heap = "heap | ";

        /// <summary>An operation: name | timed runs | µs per run | counted runs | bytes per run (lower..upper).</summary>
        public const string Op = "op | ";

        /// <summary>A check that held: name | detail.</summary>
        public const string Pass = "PASS | ";

        /// <summary>A check that failed: name | detail.</summary>
        public const string Fail = "FAIL | ";

        /// <summary>
        /// A device-budget target that is not yet a promise: name | "meets" or "misses" | detail. It does not
        /// fail the run; the host suite names the targets it holds the firmware to.
        /// </summary>
        public const string Target = "target | ";

        /// <summary>A target reached.</summary>
        public const string Meets = "meets";

        /// <summary>A target not reached.</summary>
        public const string Misses = "misses";

        /// <summary>The last line: "device-tests: N passed, M failed".</summary>
        public const string Summary = "device-tests: ";
    }
}
