namespace ChargerFirmware.Aggregator.Ingest;

/// <summary>
/// Where the broker is and under which identities the server connects: the aggregator identity
/// (reads what chargers publish, writes dispatch, dispatch/cancel, prices and ledger/ack) and the
/// phone relay identity (reads consent/request, writes consent/response only). With a broker ACL
/// (Protocol/README.md) the relay identity cannot dispatch, whatever the server's code does.
/// </summary>
public sealed record MqttSettings
{
    /// <summary>Broker host.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Broker port.</summary>
    public int Port { get; init; } = 1883;

    /// <summary>TLS to the broker.</summary>
    public bool Tls { get; init; }

    /// <summary>CA certificate (PEM file) that signed the broker's certificate, or null for the system's.</summary>
    public string? CaFile { get; init; }

    /// <summary>User name of the aggregator identity, or null.</summary>
    public string? User { get; init; }

    /// <summary>Its password.</summary>
    public string? Password { get; init; }

    /// <summary>User name of the phone relay identity, or null.</summary>
    public string? RelayUser { get; init; }

    /// <summary>Its password.</summary>
    public string? RelayPassword { get; init; }

    /// <summary>
    /// The MQTT 5 shared-subscription group (<c>$share/{group}/…</c>) the instances split the
    /// chargers' messages in, or null for plain subscriptions (one instance, or a broker without
    /// shared subscriptions, such as the simulator's embedded one).
    /// </summary>
    public string? ShareGroup { get; init; } = "aggregator";

    /// <summary>"mqtt://host:port" for logs.</summary>
    public override string ToString() => $"{(Tls ? "mqtts" : "mqtt")}://{Host}:{Port}";
}
