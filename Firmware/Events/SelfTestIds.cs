namespace ChargerFirmware.Events
{
    /// <summary>The self-tests a technician can ask for (Int1 of <see cref="ControlEventKind.SelfTest"/>), with console names.</summary>
    public static class SelfTestIds
    {
        /// <summary>The residual current monitor trips on its test winding and clears.</summary>
        public const int Rcd = 1;

        /// <summary>The contactor's feedback reads open while commanded open (no weld); never closes it.</summary>
        public const int Contactor = 2;

        /// <summary>The console name: rcd, contactor.</summary>
        public static string Name(int id)
        {
            switch (id)
            {
                case Rcd:
                    return "rcd";
                case Contactor:
                    return "contactor";
                default:
                    return "unknown";
            }
        }

        /// <summary>The test called <paramref name="name"/>, or 0.</summary>
        public static int Parse(string name)
        {
            switch (name)
            {
                case "rcd":
                    return Rcd;
                case "contactor":
                    return Contactor;
                default:
                    return 0;
            }
        }
    }
}
