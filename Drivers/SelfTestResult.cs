namespace ChargerFirmware.Drivers
{
    /// <summary>Outcomes of a self-test (the RCD's, the contactor's), with their names for the console and logs.</summary>
    public static class SelfTestResult
    {
        /// <summary>Not started.</summary>
        public const int Idle = 0;

        /// <summary>Started, not finished.</summary>
        public const int Running = 1;

        /// <summary>The part behaved as it must.</summary>
        public const int Passed = 2;

        /// <summary>The part did not behave as it must (the test says which step).</summary>
        public const int Failed = 3;

        /// <summary>Not started: the charger was not in a state that allows it (power flowing).</summary>
        public const int Refused = 4;

        /// <summary>Stopped before the end: the charger needed the part meanwhile.</summary>
        public const int Aborted = 5;

        /// <summary>The result's name for logs and the wire.</summary>
        public static string Name(int result)
        {
            switch (result)
            {
                case Idle:
                    return "idle";
                case Running:
                    return "running";
                case Passed:
                    return "passed";
                case Failed:
                    return "failed";
                case Refused:
                    return "refused";
                case Aborted:
                    return "aborted";
                default:
                    return "unknown";
            }
        }
    }
}
