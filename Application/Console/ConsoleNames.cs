using ChargerFirmware.Protocol.Messages;

namespace ChargerFirmware.TechConsole
{
    /// <summary>
    /// The console's only uses of the charger states, ledger kinds and settlements (the protocol's
    /// enumerations): a change to them is adapted here and nowhere else in the console.
    /// </summary>
    public static class ConsoleNames
    {
        /// <summary>Number of ledger kinds.</summary>
        public const int LedgerKindCount = 3;

        /// <summary>The console name of charger state <paramref name="state"/>.</summary>
        public static string State(int state)
        {
            return Known(ChargerState.Names.Name(state));
        }

        /// <summary>True in the states in which the contactor may be closed for a vehicle (charging, discharging, paused).</summary>
        public static bool VehicleOnPower(int state)
        {
            return state == ChargerState.Charging || state == ChargerState.Discharging || state == ChargerState.Paused;
        }

        /// <summary>The <paramref name="i"/>-th ledger kind (0 .. <see cref="LedgerKindCount"/>-1), which also indexes a ledger balance's arrays.</summary>
        public static int LedgerKindAt(int i)
        {
            return Protocol.Messages.LedgerKind.OwnCharge + i;
        }

        /// <summary>The console name of a ledger record's kind.</summary>
        public static string LedgerKind(int kind)
        {
            return Known(Protocol.Messages.LedgerKind.Names.Name(kind));
        }

        /// <summary>The console name of a settlement (a ledger record's or a preset's).</summary>
        public static string Settlement(int settlement)
        {
            string? name = Protocol.Messages.Settlement.Names.Name(settlement);
            return name == null ? "unspecified" : name;
        }

        /// <summary>The settlement called <paramref name="name"/> (offset, points, payout); false for anything else.</summary>
        public static bool TryParseSettlement(string name, out int settlement)
        {
            settlement = Protocol.Messages.Settlement.Names.Parse(name);
            return Protocol.Messages.Settlement.IsValid(settlement);
        }

        private static string Known(string? name)
        {
            return name == null ? "unknown" : name;
        }
    }
}
