using ChargerFirmware.Aggregator.Storage;
using ChargerFirmware.Protocol.Messages;

namespace ChargerFirmware.Aggregator.Ingest;

/// <summary>
/// What chargers say about themselves, kept in the database so that every instance plans from the
/// same facts: availability, the latest status (a retained topic: an older status arriving late
/// never replaces a newer one), events (stored once by their content's digest, since events carry
/// no id) and the sessions they describe.
/// </summary>
public static class ChargerStateStore
{
    /// <summary>Stores availability; true when the charger just came online.</summary>
    public static bool Availability(Tx tx, string chargerId, bool online, long nowMs)
    {
        Chargers.Ensure(tx, chargerId, nowMs);
        return tx.Execute("UPDATE chargers SET online = @o, online_changed_at = @t WHERE id = @c AND online <> @o",
            ("@o", online), ("@t", nowMs), ("@c", chargerId)) == 1 && online;
    }

    /// <summary>Stores <paramref name="s"/> unless a newer status is already stored.</summary>
    public static void Status(Tx tx, string chargerId, StatusMessage s, string payload, long nowMs)
    {
        Chargers.Ensure(tx, chargerId, nowMs);
        Conditions c = s.Conditions;
        string faults = string.Join(',', s.Faults.Take(s.FaultCount));
        tx.Execute(
            """
            INSERT INTO charger_status (charger_id, at, received_at, state, pilot, consent, soc_pct, soc_age_s, power_w, setpoint_w,
              reason, dispatch_id, cond_preset, cond_min_sell_milli, cond_max_buy_milli, cond_kept_soc_pct, cond_delegated,
              cond_in_window, faults, clock_synced, payload)
            VALUES (@c, @at, @now, @state, @pilot, @consent, @soc, @age, @power, @set, @reason, @dispatch, @preset, @min, @max,
              @kept, @delegated, @window, @faults, @synced, @payload)
            ON CONFLICT (charger_id) DO UPDATE SET at = excluded.at, received_at = excluded.received_at, state = excluded.state,
              pilot = excluded.pilot, consent = excluded.consent, soc_pct = excluded.soc_pct, soc_age_s = excluded.soc_age_s,
              power_w = excluded.power_w, setpoint_w = excluded.setpoint_w, reason = excluded.reason,
              dispatch_id = excluded.dispatch_id, cond_preset = excluded.cond_preset,
              cond_min_sell_milli = excluded.cond_min_sell_milli, cond_max_buy_milli = excluded.cond_max_buy_milli,
              cond_kept_soc_pct = excluded.cond_kept_soc_pct, cond_delegated = excluded.cond_delegated,
              cond_in_window = excluded.cond_in_window, faults = excluded.faults, clock_synced = excluded.clock_synced,
              payload = excluded.payload
            WHERE excluded.at >= charger_status.at
            """,
            ("@c", chargerId), ("@at", s.AtMs), ("@now", nowMs), ("@state", Wire.Name(ChargerState.Names, s.State)),
            ("@pilot", Wire.Name(PilotState.Names, s.Pilot)), ("@consent", Wire.Name(ConsentState.Names, s.Consent)),
            ("@soc", s.HasSocPct ? s.SocPct : null), ("@age", s.HasSocAgeS ? s.SocAgeS : null), ("@power", s.PowerW),
            ("@set", s.SetpointW), ("@reason", s.Reason), ("@dispatch", s.DispatchId), ("@preset", c.Preset),
            ("@min", c.HasMinSellPrice ? c.MinSellPriceMilli : null), ("@max", c.HasMaxBuyPrice ? c.MaxBuyPriceMilli : null),
            ("@kept", c.HasKeptSocPct ? c.KeptSocPct : null), ("@delegated", c.HasDelegated ? c.Delegated : null),
            ("@window", c.HasInWindow ? c.InWindow : null), ("@faults", faults), ("@synced", s.ClockSynced), ("@payload", payload));
    }

    /// <summary>Stores <paramref name="e"/> once (by digest) and applies it to its session; false for a repeat.</summary>
    public static bool Event(Tx tx, string chargerId, EventMessage e, string payload, long nowMs)
    {
        Chargers.Ensure(tx, chargerId, nowMs);
        string type = Wire.Name(EventType.Names, e.Type);
        int inserted = tx.Execute(
            """
            INSERT INTO events (charger_id, digest, type, at, session_id, dispatch_id, payload, received_at)
            VALUES (@c, @d, @type, @at, @s, @dispatch, @payload, @now) ON CONFLICT (charger_id, digest) DO NOTHING
            """,
            ("@c", chargerId), ("@d", Wire.Digest(payload)), ("@type", type), ("@at", e.AtMs), ("@s", e.SessionId),
            ("@dispatch", e.DispatchId), ("@payload", payload), ("@now", nowMs));
        if (inserted == 0 || e.SessionId is null)
        {
            return inserted == 1;
        }

        EnsureSession(tx, chargerId, e.SessionId);
        (string Sql, (string, object?)[] Args)? change = e.Type switch
        {
            EventType.Plugged => ("plugged_at = @at, evcc_id = COALESCE(@v, evcc_id)", [("@at", e.AtMs), ("@v", e.VehicleId)]),
            EventType.ConsentGranted => ("consent = 'granted'", []),
            EventType.ConsentDenied => ("consent = 'denied'", []),
            EventType.ConsentRevoked => ("consent = 'revoked'", []),
            EventType.Unplugged => ("ended_at = COALESCE(ended_at, @at)", [("@at", e.AtMs)]),
            EventType.SessionEnded => (
                "ended_at = @at, import_wh = @i, export_wh = @x, purchase_milli = @p, earnings_milli = @e, net_milli = @n, currency = @cur",
                [("@at", e.AtMs), ("@i", e.ImportWh), ("@x", e.ExportWh), ("@p", e.PurchaseMilli), ("@e", e.EarningsMilli), ("@n", e.NetMilli), ("@cur", e.Currency)]),
            _ => null,
        };
        if (change is { } update)
        {
            tx.Execute($"UPDATE sessions SET {update.Sql} WHERE charger_id = @c AND session_id = @s",
                [.. update.Args, ("@c", chargerId), ("@s", e.SessionId)]);
        }

        return true;
    }

    /// <summary>Adds the session row when it is new.</summary>
    public static void EnsureSession(Tx tx, string chargerId, string sessionId) =>
        tx.Execute("INSERT INTO sessions (charger_id, session_id) VALUES (@c, @s) ON CONFLICT (charger_id, session_id) DO NOTHING",
            ("@c", chargerId), ("@s", sessionId));
}
