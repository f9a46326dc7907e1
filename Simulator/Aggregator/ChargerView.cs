using System.Diagnostics;
using ChargerFirmware.Protocol.Messages;

namespace ChargerFirmware.Simulator.Aggregator;

/// <summary>
/// What the aggregator knows of one charger, only from what the charger published: availability,
/// the last status, events, dispatch acknowledgements and ledger records. Filled on the MQTT
/// thread; read under <see cref="Gate"/> (the scenario and the tests copy what they need).
/// </summary>
public sealed class ChargerView
{
    private readonly Dictionary<string, long> _sentAt = [];

    /// <summary>A view of the charger <paramref name="id"/>.</summary>
    public ChargerView(string id) => Id = id;

    /// <summary>The charger id (its topic level).</summary>
    public string Id { get; }

    /// <summary>Lock for every member below.</summary>
    public object Gate { get; } = new();

    /// <summary>True after "online", false after "offline" (or its Last Will).</summary>
    public bool Online { get; internal set; }

    /// <summary>The last status, or null.</summary>
    public StatusMessage? Status { get; internal set; }

    /// <summary>Statuses received.</summary>
    public int StatusCount { get; internal set; }

    /// <summary>Every event, in arrival order.</summary>
    public List<EventMessage> Events { get; } = [];

    /// <summary>Every dispatch acknowledgement, in arrival order.</summary>
    public List<DispatchAckMessage> Acks { get; } = [];

    /// <summary>Ledger records by id (a resent record replaces itself).</summary>
    public SortedDictionary<long, LedgerMessage> Ledger { get; } = [];

    /// <summary>Highest ledger id acknowledged to the charger.</summary>
    public long LedgerAckedUpTo { get; internal set; }

    /// <summary>Consent prompts the charger sent for the driver's phone (the aggregator never answers them).</summary>
    public int ConsentRequests { get; internal set; }

    /// <summary>Wall ms from sending each dispatch to its first acknowledgement, by dispatch id.</summary>
    public Dictionary<string, double> AckLatencyMs { get; } = [];

    /// <summary>Statuses of the acknowledgements of dispatch <paramref name="id"/>, in order (call under <see cref="Gate"/>).</summary>
    public IEnumerable<DispatchAckMessage> AcksOf(string id) => Acks.Where(a => a.Id == id);

    internal void Sent(string id) => _sentAt[id] = Stopwatch.GetTimestamp();

    internal void Acked(DispatchAckMessage ack)
    {
        Acks.Add(ack);
        if (ack.Id is not null && _sentAt.Remove(ack.Id, out long sent))
        {
            AckLatencyMs[ack.Id] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
        }
    }
}
