using ChargerFirmware.Consent;
using ChargerFirmware.Session;
using DriverPilot = ChargerFirmware.Drivers.Pilot.PilotState;
using FirmwareLedgerKind = ChargerFirmware.Ledger.LedgerKind;
using FirmwareSettlement = ChargerFirmware.Ledger.Settlement;
using WireChargerState = ChargerFirmware.Protocol.Messages.ChargerState;
using WireConsentState = ChargerFirmware.Protocol.Messages.ConsentState;
using WireLedgerKind = ChargerFirmware.Protocol.Messages.LedgerKind;
using WirePilot = ChargerFirmware.Protocol.Messages.PilotState;
using WireSettlement = ChargerFirmware.Protocol.Messages.Settlement;

namespace ChargerFirmware.Link
{
    /// <summary>
    /// The one place where the firmware's own constants become the wire's: session state, pilot,
    /// consent, ledger kind and settlement. Everything the link publishes goes through here, so a
    /// change of numbering on either side is adapted in this file alone. A value with no wire
    /// counterpart maps to 0, which the message encoders write as null.
    /// </summary>
    public static class WireMap
    {
        /// <summary>The status "state" of a session state (<see cref="SessionState"/>).</summary>
        public static int State(int sessionState)
        {
            switch (sessionState)
            {
                case SessionState.Idle:
                    return WireChargerState.Idle;
                case SessionState.AwaitingConsent:
                case SessionState.Ready:
                case SessionState.Paused:
                    return WireChargerState.Connected;
                case SessionState.Charging:
                    return WireChargerState.Charging;
                case SessionState.Discharging:
                    return WireChargerState.Discharging;
                case SessionState.Fault:
                    return WireChargerState.Fault;
                case SessionState.Disabled:
                    return WireChargerState.Unavailable;
                default:
                    return 0;
            }
        }

        /// <summary>
        /// The status "pilot" of a debounced pilot state. A..F carry the same numbers on both sides;
        /// an invalid reading (no band) shows as F, "charger error", until the wire has a name for it.
        /// </summary>
        public static int Pilot(int pilot)
        {
            return pilot >= DriverPilot.A && pilot <= DriverPilot.F ? pilot : WirePilot.F;
        }

        /// <summary>The status "consent" of a consent state (<see cref="ConsentStates"/>); revoked shows as denied.</summary>
        public static int Consent(int consent)
        {
            switch (consent)
            {
                case ConsentStates.None:
                    return WireConsentState.None;
                case ConsentStates.Pending:
                    return WireConsentState.Pending;
                case ConsentStates.Granted:
                    return WireConsentState.Granted;
                case ConsentStates.Denied:
                case ConsentStates.Revoked:
                    return WireConsentState.Denied;
                default:
                    return 0;
            }
        }

        /// <summary>The ledger "kind" of a journal record's kind.</summary>
        public static int LedgerKind(int kind)
        {
            switch (kind)
            {
                case FirmwareLedgerKind.OwnCharge:
                    return WireLedgerKind.OwnCharge;
                case FirmwareLedgerKind.AggregatorCharge:
                    return WireLedgerKind.AggregatorCharge;
                case FirmwareLedgerKind.AggregatorDischarge:
                    return WireLedgerKind.AggregatorDischarge;
                default:
                    return 0;
            }
        }

        /// <summary>The ledger "settlement" of a journal record's settlement.</summary>
        public static int Settlement(int settlement)
        {
            switch (settlement)
            {
                case FirmwareSettlement.Offset:
                    return WireSettlement.Offset;
                case FirmwareSettlement.Points:
                    return WireSettlement.Points;
                case FirmwareSettlement.Payout:
                    return WireSettlement.Payout;
                default:
                    return 0;
            }
        }
    }
}
