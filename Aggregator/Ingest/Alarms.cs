using ChargerFirmware.Aggregator.Storage;

namespace ChargerFirmware.Aggregator.Ingest;

/// <summary>
/// Things a person must look at (a ledger record that changed, a gap in a charger's ledger, a
/// message the contract refuses). One alarm per kind, charger, subject and content: a charger that
/// resends the same bad record raises it once.
/// </summary>
public static class Alarms
{
    /// <summary>Alarm kind: a charger published something the contract refuses.</summary>
    public const string RefusedMessage = "refused-message";

    /// <summary>Raises an alarm unless the same one is already there; true when it is new.</summary>
    public static bool Raise(Tx tx, long nowMs, string kind, string chargerId, string subject, string digest, string detail) =>
        tx.Execute(
            "INSERT INTO alarms (at, kind, charger_id, subject, digest, detail) VALUES (@t, @k, @c, @s, @d, @x) ON CONFLICT (kind, charger_id, subject, digest) DO NOTHING",
            ("@t", nowMs), ("@k", kind), ("@c", chargerId), ("@s", subject), ("@d", digest), ("@x", detail)) == 1;
}
