namespace ChargerFirmware.Drivers.Modem
{
    /// <summary>
    /// Why the ISO 15118 module's data cannot be used (<see cref="VehicleLinkReading.Problem"/>),
    /// each with the number <see cref="VehicleLinkReading.ProblemDetail"/> carries.
    /// </summary>
    public static class ModemProblems
    {
        /// <summary>The module's data are in use.</summary>
        public const int None = 0;

        /// <summary>The module stopped answering (or never answered). Detail: failed reads in a row.</summary>
        public const int NoAnswer = 1;

        /// <summary>Register 0 does not hold the map identifier 0x4543: not this module. Detail: the value read.</summary>
        public const int WrongMapId = 2;

        /// <summary>The map version is not one this firmware reads. Detail: the version read.</summary>
        public const int UnknownVersion = 3;

        /// <summary>The module answered the map read with an exception. Detail: the exception code.</summary>
        public const int ReadRefused = 4;

        /// <summary>True for the problems of a module that answers with the wrong map (not a lost link).</summary>
        public static bool IsMapProblem(int problem)
        {
            return problem == WrongMapId || problem == UnknownVersion || problem == ReadRefused;
        }

        /// <summary>What the problem means, with its detail, for the technician (allocates: console only).</summary>
        public static string Describe(int problem, int detail)
        {
            switch (problem)
            {
                case None:
                    return "none";
                case NoAnswer:
                    return "no answer (" + detail.ToString() + " reads failed in a row)";
                case WrongMapId:
                    return "register 0 reads " + detail.ToString() + ", not the map id 17731 (0x4543)";
                case UnknownVersion:
                    return "map version " + detail.ToString() + " unknown (this firmware reads version 1)";
                case ReadRefused:
                    return "map read refused: exception " + detail.ToString();
                default:
                    return "unknown";
            }
        }
    }
}
