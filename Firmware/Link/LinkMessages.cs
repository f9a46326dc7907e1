using ChargerFirmware.Arbiter;
using ChargerFirmware.Consent;
using ChargerFirmware.Events;
using ChargerFirmware.Faults;
using ChargerFirmware.Ledger;
using ChargerFirmware.Persistence;
using ChargerFirmware.Protocol.Messages;
using ChargerFirmware.Status;

using DriverPilot = ChargerFirmware.Drivers.Pilot.PilotState;

namespace ChargerFirmware.Link
{
    /// <summary>
    /// Turns what the firmware knows (status snapshots, outbox notices, journal records) into the
    /// contract's messages, reusing one instance of each: filling allocates nothing. The firmware uses
    /// the protocol's own codes (the pilot's A..F share their numbers, and revoked consent shows as
    /// denied), and names come from the owners' explicit name tables.
    /// </summary>
    public sealed class LinkMessages
    {
        /// <summary>A change of measured power smaller than this, W, is not a change worth a status.</summary>
        public const int PowerDeadbandW = 100;

        /// <summary>The status message, filled by <see cref="FillStatus"/>.</summary>
        public readonly StatusMessage Status = new StatusMessage();

        /// <summary>The telemetry message, filled by <see cref="FillTelemetry"/>.</summary>
        public readonly TelemetryMessage Telemetry = new TelemetryMessage();

        /// <summary>The event message, filled by <see cref="FillEvent"/>.</summary>
        public readonly EventMessage Event = new EventMessage();

        /// <summary>The ledger message, filled by <see cref="FillLedger"/>.</summary>
        public readonly LedgerMessage Ledger = new LedgerMessage();

        /// <summary>
        /// True when <paramref name="now"/> differs from <paramref name="published"/> in anything the
        /// aggregator acts on: state, pilot, consent, whole SOC percent, setpoint, reason, dispatch,
        /// conditions, faults, clock, the vehicle's capacity or the power the charger can give or take
        /// (by <see cref="PowerDeadbandW"/>), or the measured power by <see cref="PowerDeadbandW"/> or
        /// more. The SOC's age and the counters are not changes.
        /// </summary>
        public static bool Differs(ChargerStatus published, ChargerStatus now)
        {
            int powerStep = now.PowerW - published.PowerW;
            return now.State != published.State
                || now.Pilot != published.Pilot
                || now.Consent != published.Consent
                || now.SocKnown != published.SocKnown
                || (now.SocKnown && now.SocPermille / 10 != published.SocPermille / 10)
                || now.SetpointW != published.SetpointW
                || now.Reason != published.Reason
                || now.DispatchId != published.DispatchId
                || now.ConditionsName != published.ConditionsName
                || now.HasConditions != published.HasConditions
                || now.KeptSocPermille != published.KeptSocPermille
                || now.MinSellPriceMilli != published.MinSellPriceMilli
                || now.MaxBuyPriceMilli != published.MaxBuyPriceMilli
                || now.Delegated != published.Delegated
                || now.InWindow != published.InWindow
                || now.Faults != published.Faults
                || now.ClockSynced != published.ClockSynced
                || now.CapacityWh != published.CapacityWh
                || Moved(published.MaxChargeW, now.MaxChargeW)
                || Moved(published.MaxDischargeW, now.MaxDischargeW)
                || powerStep >= PowerDeadbandW
                || powerStep <= -PowerDeadbandW;
        }

        /// <summary>
        /// Fills <see cref="Status"/> from <paramref name="s"/>, taken at <paramref name="atUtcMs"/>.
        /// While consent is granted the conditions summary carries the conditions in force as the
        /// contract says: the preset's name with the values it resolved to (kept state of charge in
        /// whole percent, rounded up so the aggregator never plans below it), delegation and whether
        /// now lies in a window; it is empty otherwise.
        /// </summary>
        public void FillStatus(ChargerStatus s, long atUtcMs)
        {
            StatusMessage m = Status;
            m.Clear();
            m.State = s.State;
            m.Pilot = s.Pilot == DriverPilot.Invalid ? PilotState.Invalid : s.Pilot; // A..F share their numbers
            m.Consent = ConsentStates.ToWire(s.Consent);
            m.HasSocPct = s.SocKnown;
            m.SocPct = SocPercent(s.SocPermille);
            m.HasSocAgeS = s.SocKnown && s.SocAgeMs >= 0;
            m.SocAgeS = m.HasSocAgeS ? SocAgeSeconds(s.SocAgeMs) : 0;
            m.PowerW = Clamp(s.PowerW, -Limits.MaxPowerW, Limits.MaxPowerW);
            m.SetpointW = Clamp(s.SetpointW, -Limits.MaxPowerW, Limits.MaxPowerW);
            m.Reason = ReasonCodes.Name(s.Reason);
            m.DispatchId = s.DispatchId;
            if (s.HasConditions)
            {
                Protocol.Messages.Conditions c = m.Conditions;
                c.Preset = s.ConditionsName;
                c.HasKeptSocPct = true;
                c.KeptSocPct = (Clamp(s.KeptSocPermille, 0, 1000) + 9) / 10;
                c.HasMinSellPrice = true;
                c.MinSellPriceMilli = Clamp(s.MinSellPriceMilli, 0, (int)Limits.MaxPriceMilli);
                c.HasMaxBuyPrice = true;
                c.MaxBuyPriceMilli = Clamp(s.MaxBuyPriceMilli, 0, (int)Limits.MaxPriceMilli);
                c.HasDelegated = true;
                c.Delegated = s.Delegated;
                c.HasInWindow = true;
                c.InWindow = s.InWindow;
            }
            for (int code = 0; code < FaultCode.Count && m.FaultCount < m.Faults.Length; code++)
            {
                if ((s.Faults & (1 << code)) != 0)
                {
                    m.Faults[m.FaultCount++] = FaultCode.Name(code);
                }
            }

            m.ClockSynced = s.ClockSynced;
            m.AtMs = atUtcMs;
            m.HasCapacityWh = s.CapacityWh > 0;
            m.CapacityWh = s.CapacityWh;
            m.MaxChargeW = Clamp(s.MaxChargeW, 0, Limits.MaxPowerW);
            m.MaxDischargeW = Clamp(s.MaxDischargeW, 0, Limits.MaxPowerW);
        }

        /// <summary>
        /// Fills <see cref="Telemetry"/> from <paramref name="s"/>; false (nothing to send) while the
        /// temperature is unknown, since the contract has no "unknown" for it (the sensor's fault
        /// stops the power and shows on the status). Energy is the session's.
        /// </summary>
        public bool FillTelemetry(ChargerStatus s, long atUtcMs)
        {
            if (s.TemperatureDeciC == int.MinValue)
            {
                return false;
            }

            TelemetryMessage t = Telemetry;
            t.Clear();
            t.AtMs = atUtcMs;
            t.PowerW = Clamp(s.PowerW, -Limits.MaxPowerW, Limits.MaxPowerW);
            t.VoltageMilliV = Clamp(s.VoltageMv, 0, Limits.MaxVoltageMilliV);
            t.CurrentMilliA = Clamp(s.CurrentMa, -Limits.MaxCurrentMilliA, Limits.MaxCurrentMilliA);
            t.ImportWh = s.SessionImportWh;
            t.ExportWh = s.SessionExportWh;
            t.HasSocPct = s.SocKnown;
            t.SocPct = SocPercent(s.SocPermille);
            t.TemperatureDeciC = Clamp(s.TemperatureDeciC, Limits.MinTemperatureDeciC, Limits.MaxTemperatureDeciC);
            t.HasSocAgeS = s.SocKnown && s.SocAgeMs >= 0;
            t.SocAgeS = t.HasSocAgeS ? SocAgeSeconds(s.SocAgeMs) : 0;
            return true;
        }

        /// <summary>
        /// Fills <see cref="Event"/> from a pending notice (Kind an <see cref="OutboundKind"/>, Long1
        /// its UTC ms, Text1 the session id, Text2 the vehicle id for plugged or the dispatch id for
        /// dispatch-expired, Int1 the fault code, Payload the session summary of session-ended);
        /// false when the kind is not an event or a session end has no summary.
        /// </summary>
        public bool FillEvent(ControlEvent notice)
        {
            int type = EventTypeOf(notice.Kind);
            if (type == 0)
            {
                return false;
            }

            EventMessage e = Event;
            e.Clear();
            e.Type = type;
            e.AtMs = notice.Long1;
            e.SessionId = notice.Text1;
            switch (type)
            {
                case EventType.Plugged:
                    e.VehicleId = notice.Text2;
                    break;
                case EventType.FaultRaised:
                case EventType.FaultCleared:
                    e.Fault = FaultCode.Name(notice.Int1);
                    break;
                case EventType.DispatchExpired:
                    e.DispatchId = notice.Text2;
                    break;
                case EventType.Storage:
                    e.File = StoredFile.Name(notice.Int1);
                    e.Result = LoadResults.Name(notice.Int2);
                    break;
                case EventType.SessionEnded:
                    SessionSummary? summary = notice.Payload as SessionSummary;
                    if (summary == null)
                    {
                        return false;
                    }

                    e.SessionId = summary.SessionId;
                    e.ImportWh = summary.ImportWh;
                    e.ExportWh = summary.ExportWh;
                    e.UnpricedImportWh = summary.UnpricedImportWh;
                    e.UnpricedExportWh = summary.UnpricedExportWh;
                    e.PurchaseMilli = summary.PurchasesMilli;
                    e.EarningsMilli = summary.EarningsMilli;
                    e.NetMilli = summary.NetMilli;
                    e.Currency = summary.Currency;
                    break;
            }

            return true;
        }

        /// <summary>Fills <see cref="Ledger"/> from a journal record (empty strings become null).</summary>
        public void FillLedger(LedgerRecord r)
        {
            LedgerMessage m = Ledger;
            m.Clear();
            m.Id = r.RecordId;
            m.SessionId = r.SessionId;
            m.VehicleId = r.VehicleId.Length == 0 ? null : r.VehicleId;
            m.StartMs = r.StartUtcMs;
            m.EndMs = r.EndUtcMs;
            m.EntryKind = r.Kind;
            m.Wh = r.Wh;
            m.PriceMilli = r.PriceMilliPerKWh;
            m.PriceReason = r.PriceReason;
            m.Currency = r.Currency;
            m.AmountMilli = r.AmountMilli;
            m.DispatchId = r.DispatchId.Length == 0 ? null : r.DispatchId;
            m.Settlement = r.Settlement;
            m.Recovered = r.Recovered;
        }

        /// <summary>The <see cref="EventType"/> an outbox notice kind is published as, or 0 when it is not an event.</summary>
        public static int EventTypeOf(int outboundKind)
        {
            // Event notices carry their event type as their kind (see OutboundKind).
            return outboundKind >= 1 && outboundKind <= EventType.Names.Max ? outboundKind : 0;
        }

        private static bool Moved(int before, int now)
        {
            int step = now - before;
            return step >= PowerDeadbandW || step <= -PowerDeadbandW;
        }

        private static int SocAgeSeconds(long ageMs)
        {
            return (int)(ageMs / 1000 > int.MaxValue ? int.MaxValue : ageMs / 1000);
        }

        // Whole percent, rounded down: the charger never claims more charge than it read.
        private static int SocPercent(int permille)
        {
            return Clamp(permille, 0, 1000) / 10;
        }

        private static int Clamp(int value, int min, int max)
        {
            return value < min ? min : (value > max ? max : value);
        }
    }
}
