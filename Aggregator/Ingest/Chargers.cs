using ChargerFirmware.Aggregator.Storage;

namespace ChargerFirmware.Aggregator.Ingest;

/// <summary>The chargers table: a charger exists from the first message the server hears from it.</summary>
public static class Chargers
{
    /// <summary>Adds <paramref name="chargerId"/> when it is new.</summary>
    public static void Ensure(Tx tx, string chargerId, long nowMs) =>
        tx.Execute("INSERT INTO chargers (id, first_seen_at) VALUES (@c, @t) ON CONFLICT (id) DO NOTHING", ("@c", chargerId), ("@t", nowMs));
}
