namespace ChargerFirmware.Panel
{
    /// <summary>
    /// The driver's decisions at the panel, as a <c>ControlEventKind.PanelTap</c> event carries them
    /// into the control loop (Int1). With Text1 the plug-in's session id (a tap meant for an earlier
    /// plug-in is ignored), Payload the conditions set on the panel (null: those on offer) and Long1
    /// <see cref="RememberFlag"/> to remember them for this car. Int constants with explicit names.
    /// </summary>
    public static class PanelButtons
    {
        /// <summary>No decision.</summary>
        public const int None = 0;

        /// <summary>Allow the aggregator to use the car within the conditions (while asked).</summary>
        public const int Allow = 1;

        /// <summary>Refuse: plain charging.</summary>
        public const int Deny = 2;

        /// <summary>Offer the next preset of conditions (while asked).</summary>
        public const int Conditions = 3;

        /// <summary>Stop sharing now: plain charging, until the driver changes their mind or unplugs.</summary>
        public const int StopSharing = 4;

        /// <summary>The driver changes their mind: share after a refusal, a timeout or a stop, or change the conditions while sharing.</summary>
        public const int Reconsider = 5;

        /// <summary>Long1 bit of an allow: remember the conditions for this car (without it, a remembered car is forgotten).</summary>
        public const long RememberFlag = 1;

        /// <summary>Long1 bit of an allow: the panel showed the remember choice (so its absence means "forget").</summary>
        public const long RememberAsked = 2;

        /// <summary>The name: none, allow, deny, conditions, stop-sharing, reconsider.</summary>
        public static string Name(int button)
        {
            switch (button)
            {
                case Allow:
                    return "allow";
                case Deny:
                    return "deny";
                case Conditions:
                    return "conditions";
                case StopSharing:
                    return "stop-sharing";
                case Reconsider:
                    return "reconsider";
                default:
                    return "none";
            }
        }
    }
}
