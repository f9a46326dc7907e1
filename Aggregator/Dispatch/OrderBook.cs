using System.Globalization;
using ChargerFirmware.Aggregator.Ingest;
using ChargerFirmware.Aggregator.Storage;
using ChargerFirmware.Protocol.Messages;

namespace ChargerFirmware.Aggregator.Dispatch;

/// <summary>An order as the database holds it.</summary>
public sealed record Order(string Id, long? DrId, string ChargerId, long Seq, int SetpointW, long StartMs, int DurationS,
    long? BuyMilli, long? SellMilli, string? Currency, string State, string? Reason, int? AppliedW, long CreatedAt, int SendCount)
{
    /// <summary>When the order ends, Unix ms (charger time).</summary>
    public long EndMs => StartMs + (DurationS * 1000L);

    /// <summary>The order as the contract's dispatch message, issued at <paramref name="issuedAtMs"/>.</summary>
    public DispatchMessage ToMessage(long issuedAtMs)
    {
        var m = new DispatchMessage
        {
            Id = Id,
            Seq = Seq,
            IssuedAtMs = issuedAtMs,
            HasStartAt = StartMs > issuedAtMs,
            StartAtMs = StartMs,
            DurationS = DurationS,
            SetpointW = SetpointW,
            ChargerId = ChargerId,
        };
        if (BuyMilli is long buy)
        {
            m.HasBuyPrice = true;
            m.BuyPriceMilli = buy;
        }

        if (SellMilli is long sell)
        {
            m.HasSellPrice = true;
            m.SellPriceMilli = sell;
        }

        m.Currency = m.HasBuyPrice || m.HasSellPrice ? Currency : null;
        return m;
    }

    /// <summary>An order from a row of the orders table.</summary>
    public static Order Read(Row r) => new(r.String("id"), r.LongOrNull("dr_id"), r.String("charger_id"), r.Long("seq"), r.Int("setpoint_w"),
        r.Long("start_ms"), r.Int("duration_s"), r.LongOrNull("buy_milli"), r.LongOrNull("sell_milli"), r.Text("currency"), r.String("state"),
        r.Text("reason"), r.IntOrNull("applied_w"), r.Long("created_at"), r.Int("send_count"));
}

/// <summary>
/// Dispatch orders and their fate, in the database: ids and sequence numbers come from database
/// counters (a sequence number is also never below the wall clock's microseconds, so it stays
/// above what a charger saw from an earlier database), and every acknowledgement moves the order's
/// state forward only: planned → sent → accepted → active → an end (completed, expired, cancelled,
/// superseded, rejected, or any end the contract adds later, such as interrupted).
/// </summary>
public static class OrderBook
{
    /// <summary>Inserted, not yet published.</summary>
    public const string Planned = "planned";

    /// <summary>Published, no answer yet.</summary>
    public const string Sent = "sent";

    /// <summary>No answer within the timeout: given up (and cancelled).</summary>
    public const string Unanswered = "unanswered";

    /// <summary>States in which an order still holds its charger (an answer may still come).</summary>
    public static readonly string[] Open = [Planned, Sent, "accepted", "active"];

    /// <summary>The SQL list of <see cref="Open"/> for IN (…).</summary>
    public const string OpenSql = "('planned', 'sent', 'accepted', 'active')";

    private static readonly Dictionary<string, int> Rank = new(StringComparer.Ordinal)
    {
        [Planned] = 0,
        [Sent] = 1,
        [Unanswered] = 1,
        ["accepted"] = 2,
        ["active"] = 3,
    };

    /// <summary>Creates an order (state planned) for <paramref name="chargerId"/>; the caller publishes it after the commit.</summary>
    public static Order Create(Tx tx, long? drId, string chargerId, int setpointW, long startMs, int durationS, long? buyMilli, long? sellMilli,
        string currency, long? userId, long nowMs)
    {
        Chargers.Ensure(tx, chargerId, nowMs);
        // One order at a time per charger gets its sequence number (the charger refuses a lower one).
        tx.Long("SELECT ledger_acked_up_to FROM chargers WHERE id = @c{forUpdate}", ("@c", chargerId));
        // Microseconds since 1970: within the contract's bound on seq (2^53-1) until the year 2255.
        long micros = (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / 10;
        long seq = tx.Long("UPDATE counters SET value = {greatest}(value + 1, @m) WHERE name = 'dispatch-seq' RETURNING value", ("@m", micros))!.Value;
        long number = tx.Long("UPDATE counters SET value = value + 1 WHERE name = 'dispatch-id' RETURNING value")!.Value;
        string id = "o-" + number.ToString("D6", CultureInfo.InvariantCulture) + "-" + (seq % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        tx.Execute(
            """
            INSERT INTO orders (id, dr_id, charger_id, seq, setpoint_w, start_ms, duration_s, buy_milli, sell_milli, currency, state, user_id, created_at)
            VALUES (@id, @dr, @c, @seq, @w, @start, @d, @buy, @sell, @cur, 'planned', @user, @now)
            """,
            ("@id", id), ("@dr", drId), ("@c", chargerId), ("@seq", seq), ("@w", setpointW), ("@start", startMs), ("@d", durationS),
            ("@buy", buyMilli), ("@sell", sellMilli), ("@cur", currency), ("@user", userId), ("@now", nowMs));
        return Get(tx, id)!;
    }

    /// <summary>The order <paramref name="id"/>, or null.</summary>
    public static Order? Get(Tx tx, string id) => tx.First("SELECT * FROM orders WHERE id = @id", Order.Read, ("@id", id));

    /// <summary>Notes that <paramref name="id"/> went out (once more).</summary>
    public static void MarkSent(Tx tx, string id, long wallMs) =>
        tx.Execute("UPDATE orders SET state = CASE WHEN state = 'planned' THEN 'sent' ELSE state END, sent_wall_ms = @w, send_count = send_count + 1 WHERE id = @id",
            ("@w", wallMs), ("@id", id));

    /// <summary>
    /// Stores an acknowledgement once (by digest) and moves its order forward; returns the order's
    /// new state when it changed, else null.
    /// </summary>
    public static string? Acknowledge(Tx tx, string chargerId, DispatchAckMessage ack, string payload, long nowMs)
    {
        Chargers.Ensure(tx, chargerId, nowMs);
        string status = Wire.Name(DispatchStatus.Names, ack.Status);
        int inserted = tx.Execute(
            """
            INSERT INTO order_acks (charger_id, digest, order_id, status, reason, applied_w, at, received_at)
            VALUES (@c, @d, @o, @s, @r, @w, @at, @now) ON CONFLICT (charger_id, digest) DO NOTHING
            """,
            ("@c", chargerId), ("@d", Wire.Digest(payload)), ("@o", ack.Id), ("@s", status), ("@r", ack.Reason), ("@w", ack.AppliedW),
            ("@at", ack.AtMs), ("@now", nowMs));
        if (inserted == 0 || ack.Id is null)
        {
            return null;
        }

        Order? order = tx.First("SELECT * FROM orders WHERE id = @id AND charger_id = @c{forUpdate}", Order.Read, ("@id", ack.Id), ("@c", chargerId));
        if (order is null || !Advances(order, status, ack.Reason))
        {
            return null;
        }

        bool ends = !Rank.ContainsKey(status);
        tx.Execute(
            """
            UPDATE orders SET state = @s, reason = @r, applied_w = @w, answered_at = COALESCE(answered_at, @at),
              ended_at = CASE WHEN @ends = 1 THEN @at ELSE ended_at END
            WHERE id = @id
            """,
            ("@s", status), ("@r", ack.Reason), ("@w", ack.AppliedW), ("@at", ack.AtMs), ("@ends", ends), ("@id", ack.Id));
        return status;
    }

    // Forward only. A "replayed" refusal of an order that went out more than once means an earlier
    // copy arrived: the order's fate comes with that copy's acknowledgements.
    private static bool Advances(Order order, string status, string? reason)
    {
        if (!Rank.TryGetValue(order.State, out int now))
        {
            return false; // already ended
        }

        if (status == "rejected" && reason == "replayed" && order.SendCount > 1)
        {
            return false;
        }

        return !Rank.TryGetValue(status, out int next) || next > now;
    }
}
