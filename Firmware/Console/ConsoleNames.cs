using ChargerFirmware.Conditions;
using ChargerFirmware.Session;

namespace ChargerFirmware.TechConsole
{
    /// <summary>
    /// The console's only uses of the session states, ledger kinds and settlements: the enumerations
    /// being moved into the protocol (SessionState to ChargerState, the ledger's and conditions'
    /// kinds and settlements to the protocol's LedgerKind and Settlement) are adapted here and nowhere
    /// else in the console.
    /// </summary>
    public static class ConsoleNames
    {
        /// <summary>The console name of charger state <paramref name="state"/>.</summary>
        public static string State(int state)
        {
            return SessionState.Name(state);
        }

        /// <summary>True in the states in which the contactor may be closed for a vehicle (charging, discharging, paused).</summary>
        public static bool VehicleOnPower(int state)
        {
            return state == SessionState.Charging || state == SessionState.Discharging || state == SessionState.Paused;
        }

        /// <summary>The ledger kind counted in slot <paramref name="slot"/> of a ledger balance's arrays.</summary>
        public static int LedgerKindAtSlot(int slot)
        {
            return slot;
        }

        /// <summary>The console name of a ledger record's kind.</summary>
        public static string LedgerKind(int kind)
        {
            return Ledger.LedgerKind.Name(kind);
        }

        /// <summary>The console name of a ledger record's settlement.</summary>
        public static string LedgerSettlement(int settlement)
        {
            return Ledger.Settlement.Name(settlement);
        }

        /// <summary>The console name of a preset's settlement.</summary>
        public static string Settlement(int settlement)
        {
            return Settlements.Name(settlement);
        }

        /// <summary>The preset settlement called <paramref name="name"/> (offset, points, payout); false for anything else.</summary>
        public static bool TryParseSettlement(string name, out int settlement)
        {
            settlement = Settlements.Parse(name);
            return Settlements.IsValid(settlement);
        }
    }
}
