using System.Globalization;
using ChargerFirmware.Aggregator.Storage;
using ChargerFirmware.Protocol.Messages;
using WireSettlement = ChargerFirmware.Protocol.Messages.Settlement;

namespace ChargerFirmware.Aggregator.Ingest;

/// <summary>
/// Stores every ledger record exactly once. The key is the charger and the record id: a redelivered
/// or resent record with the same content changes nothing; a record with different content under a
/// known id raises a <c>ledger-conflict</c> alarm (both contents kept in it) and never overwrites the
/// stored one. Inside the same transaction the charger's acknowledgement mark moves up to the
/// highest id up to which every record is held (ids start at 1 and are consecutive; a gap holds the
/// mark until the missing record arrives or an operator accepts the gap). The caller publishes
/// <c>ledger/ack</c> with the returned mark only after the commit, so an ack never runs ahead of
/// what is stored; a crash between commit and ack just makes the charger resend, which is acked
/// again.
/// </summary>
public sealed class LedgerIngest(ServerSettings settings)
{
    /// <summary>Alarm kind: a record arrived again with other content.</summary>
    public const string ConflictAlarm = "ledger-conflict";

    /// <summary>Alarm kind: a record id is missing while later ones are held.</summary>
    public const string GapAlarm = "ledger-gap";

    /// <summary>What storing one record did.</summary>
    public enum Outcome
    {
        /// <summary>First time seen: stored.</summary>
        Stored,

        /// <summary>Seen before with the same content: nothing changed.</summary>
        Duplicate,

        /// <summary>Seen before with other content: alarm raised, stored record kept.</summary>
        Conflict,
    }

    /// <summary>
    /// Stores <paramref name="record"/> from <paramref name="chargerId"/> (its wire text
    /// <paramref name="payload"/>) in <paramref name="tx"/>; returns what happened and the
    /// acknowledgement mark to publish after the commit (0: nothing to acknowledge yet).
    /// </summary>
    public (Outcome Outcome, long AckUpTo) Store(Tx tx, string chargerId, LedgerMessage record, string payload, long nowMs)
    {
        Chargers.Ensure(tx, chargerId, nowMs);
        // Serializes this charger's records across instances (PostgreSQL); SQLite has one writer anyway.
        long mark = tx.Long("SELECT ledger_acked_up_to FROM chargers WHERE id = @c{forUpdate}", ("@c", chargerId)) ?? 0;
        string digest = Wire.Digest(Canonical(record));
        Attribution who = Attribute(tx, chargerId, record);
        string chargerSettlement = WireSettlement.Names.Name(record.Settlement) ?? "offset";
        string settlement = who.Settlement ?? chargerSettlement;
        long rate = settings.PointsRateMilli;
        long points = settlement == "points" && record.EntryKind == LedgerKind.AggregatorDischarge
            ? record.AmountMilli * rate / 1000
            : 0;

        // An entry the charger could not price (its price null, with the reason) is stored so: no made-up price.
        bool priced = record.PriceReason == PriceReason.None;
        int inserted = tx.Execute(
            """
            INSERT INTO ledger_records (charger_id, record_id, digest, session_id, evcc_id, start_ms, end_ms, kind, wh,
              price_milli, price_reason, currency, amount_milli, dispatch_id, charger_settlement, settlement, user_id,
              vehicle_ref, points_rate_milli, points_milli, payload, received_at)
            VALUES (@c, @id, @d, @s, @e, @start, @end, @kind, @wh, @price, @reason, @cur, @amount, @dispatch, @cs, @set,
              @user, @vehicle, @rate, @points, @payload, @now)
            ON CONFLICT (charger_id, record_id) DO NOTHING
            """,
            ("@c", chargerId), ("@id", record.Id), ("@d", digest), ("@s", record.SessionId), ("@e", record.VehicleId),
            ("@start", record.StartMs), ("@end", record.EndMs), ("@kind", Wire.Name(LedgerKind.Names, record.EntryKind)),
            ("@wh", record.Wh), ("@price", priced ? record.PriceMilli : (long?)null), ("@reason", PriceReason.Names.Name(record.PriceReason)), ("@cur", record.Currency), ("@amount", record.AmountMilli),
            ("@dispatch", record.DispatchId), ("@cs", chargerSettlement), ("@set", settlement), ("@user", who.UserId),
            ("@vehicle", who.VehicleRef), ("@rate", rate), ("@points", points), ("@payload", payload), ("@now", nowMs));

        Outcome outcome = Outcome.Stored;
        if (inserted == 0)
        {
            string? stored = tx.Scalar("SELECT digest FROM ledger_records WHERE charger_id = @c AND record_id = @id", ("@c", chargerId), ("@id", record.Id)) as string;
            outcome = stored == digest ? Outcome.Duplicate : Outcome.Conflict;
            if (outcome == Outcome.Conflict)
            {
                string storedPayload = tx.Scalar("SELECT payload FROM ledger_records WHERE charger_id = @c AND record_id = @id", ("@c", chargerId), ("@id", record.Id)) as string ?? "";
                Alarms.Raise(tx, nowMs, ConflictAlarm, chargerId, record.Id.ToString(CultureInfo.InvariantCulture), digest,
                    $"record #{record.Id} arrived again with other content; the stored one is kept. stored: {storedPayload} received: {payload}");
            }
        }
        else if (who.LearnEvccFor is long vehicle)
        {
            // The driver answered from the phone for a vehicle whose EVCCID we did not know: now we do.
            tx.Execute("UPDATE vehicles SET evcc_id = @e WHERE id = @v AND evcc_id IS NULL AND NOT EXISTS (SELECT 1 FROM vehicles WHERE evcc_id = @e)",
                ("@e", record.VehicleId), ("@v", vehicle));
        }

        return (outcome, Advance(tx, chargerId, mark));
    }

    /// <summary>Moves the mark of <paramref name="chargerId"/> over every consecutive record held above <paramref name="mark"/>; returns the new mark.</summary>
    public static long Advance(Tx tx, string chargerId, long mark)
    {
        long next = mark;
        while (true)
        {
            List<long> ids = tx.Query("SELECT record_id FROM ledger_records WHERE charger_id = @c AND record_id > @m ORDER BY record_id LIMIT 500",
                r => r.Long("record_id"), ("@c", chargerId), ("@m", next));
            int consecutive = 0;
            foreach (long id in ids)
            {
                if (id != next + 1)
                {
                    break;
                }

                next = id;
                consecutive++;
            }

            if (consecutive < 500)
            {
                break;
            }
        }

        if (next != mark)
        {
            tx.Execute("UPDATE chargers SET ledger_acked_up_to = @m WHERE id = @c", ("@m", next), ("@c", chargerId));
        }

        return next;
    }

    /// <summary>Every field of the record in one string: equal strings, equal records.</summary>
    public static string Canonical(LedgerMessage r) => string.Join('\u001f',
        r.Id.ToString(CultureInfo.InvariantCulture), r.SessionId, r.VehicleId ?? "\u0000", r.StartMs.ToString(CultureInfo.InvariantCulture),
        r.EndMs.ToString(CultureInfo.InvariantCulture), Wire.Name(LedgerKind.Names, r.EntryKind), r.Wh.ToString(CultureInfo.InvariantCulture),
        r.PriceMilli.ToString(CultureInfo.InvariantCulture), r.Currency, r.AmountMilli.ToString(CultureInfo.InvariantCulture),
        r.DispatchId ?? "\u0000", Wire.Name(WireSettlement.Names, r.Settlement));

    // Whose record it is: the driver who answered this session from the phone, else the owner of the
    // vehicle's EVCCID, else the owner of the charger (a home charger); the settlement is the one the
    // driver chose with the phone answer, else the charger's (the driver's choice on the panel).
    private static Attribution Attribute(Tx tx, string chargerId, LedgerMessage record)
    {
        Attribution? session = tx.First(
            "SELECT user_id, vehicle_ref, settlement FROM sessions WHERE charger_id = @c AND session_id = @s AND user_id IS NOT NULL",
            r => new Attribution(r.LongOrNull("user_id"), r.LongOrNull("vehicle_ref"), r.Text("settlement"), null),
            ("@c", chargerId), ("@s", record.SessionId));
        (long Id, long User)? vehicle = record.VehicleId is null ? null : tx.First(
            "SELECT id, user_id FROM vehicles WHERE evcc_id = @e", r => ((long, long)?)(r.Long("id"), r.Long("user_id")), ("@e", record.VehicleId));
        if (session is not null)
        {
            long? learn = record.VehicleId is not null && vehicle is null ? session.VehicleRef : null;
            return session with { VehicleRef = vehicle is { } v && v.User == session.UserId ? v.Id : session.VehicleRef, LearnEvccFor = learn };
        }

        if (vehicle is { } known)
        {
            return new Attribution(known.User, known.Id, null, null);
        }

        long? owner = tx.Long("SELECT owner_user_id FROM chargers WHERE id = @c", ("@c", chargerId));
        return new Attribution(owner, null, null, null);
    }

    private sealed record Attribution(long? UserId, long? VehicleRef, string? Settlement, long? LearnEvccFor);
}
