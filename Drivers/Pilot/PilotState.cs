namespace ChargerFirmware.Drivers.Pilot
{
    /// <summary>
    /// Control pilot states (IEC 61851-1 / SAE J1772) as plain ints, so they cost nothing on the
    /// device and print by name through <see cref="Name"/> (an enum would print its number there).
    /// A..F have the same values as the wire's <c>ChargerFirmware.Protocol.Messages.PilotState</c> on
    /// purpose (Drivers does not depend on Protocol, so both exist); only <see cref="Invalid"/>
    /// differs (0 here, 7 "invalid" on the wire, where 0 means absent).
    /// </summary>
    public static class PilotState
    {
        /// <summary>No reading fits any state (between bands, out of range). Zero, so an unset field is invalid.</summary>
        public const int Invalid = 0;

        /// <summary>12 V: no vehicle connected.</summary>
        public const int A = 1;

        /// <summary>9 V: vehicle connected, not ready.</summary>
        public const int B = 2;

        /// <summary>6 V: vehicle ready, charging.</summary>
        public const int C = 3;

        /// <summary>3 V: vehicle ready, ventilation required.</summary>
        public const int D = 4;

        /// <summary>0 V: pilot shorted to earth or no supply.</summary>
        public const int E = 5;

        /// <summary>Steady -12 V: EVSE error or not available.</summary>
        public const int F = 6;

        /// <summary>The state's name for logs, screens and the wire: "A".."F" or "invalid".</summary>
        public static string Name(int state)
        {
            switch (state)
            {
                case A:
                    return "A";
                case B:
                    return "B";
                case C:
                    return "C";
                case D:
                    return "D";
                case E:
                    return "E";
                case F:
                    return "F";
                default:
                    return "invalid";
            }
        }

        /// <summary>True for B, C and D: a vehicle is connected through its diode and resistor.</summary>
        public static bool VehicleConnected(int state)
        {
            return state == B || state == C || state == D;
        }
    }
}
