using System.Security.Cryptography.X509Certificates;
using MQTTnet;

namespace ChargerFirmware.Simulator.Mqtt;

/// <summary>Where the broker is and how to log in: the embedded one on loopback, or <c>--broker mqtt://HOST:PORT</c>.</summary>
public sealed record BrokerEndpoint(string Host, int Port, bool Tls = false, string? CaFile = null, string? User = null, string? Password = null)
{
    /// <summary>Parses <c>mqtt://HOST:PORT</c> (or <c>mqtts://</c>, which implies TLS; the port defaults to 1883 / 8883).</summary>
    public static BrokerEndpoint Parse(string uri, bool tls)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out Uri? parsed) || (parsed.Scheme != "mqtt" && parsed.Scheme != "mqtts")
            || string.IsNullOrEmpty(parsed.Host) || parsed.AbsolutePath.Length > 1)
        {
            throw new FormatException($"--broker wants mqtt://HOST:PORT, not '{uri}'");
        }

        bool secure = tls || parsed.Scheme == "mqtts";
        int port = parsed.IsDefaultPort || parsed.Port <= 0 ? (secure ? 8883 : 1883) : parsed.Port;
        return new BrokerEndpoint(parsed.Host, port, secure);
    }

    /// <summary>The CA certificate's PEM text, or null.</summary>
    public string? CaPem => CaFile is null ? null : File.ReadAllText(CaFile);

    /// <summary>"host:port" for messages (never the password).</summary>
    public override string ToString() => $"{(Tls ? "mqtts" : "mqtt")}://{Host}:{Port}";

    /// <summary>MQTTnet client options for <paramref name="clientId"/> on this endpoint (the aggregator's client).</summary>
    public MqttClientOptionsBuilder ClientOptions(string clientId)
    {
        MqttClientOptionsBuilder builder = new MqttClientOptionsBuilder()
            .WithTcpServer(Host, Port)
            .WithClientId(clientId)
            .WithCleanSession(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (User is not null)
        {
            builder.WithCredentials(User, Password ?? string.Empty);
        }

        if (Tls)
        {
            builder.WithTlsOptions(tls =>
            {
                tls.UseTls();
                if (CaFile is not null)
                {
                    var ca = X509Certificate2.CreateFromPem(CaPem);
                    tls.WithCertificateValidationHandler(args =>
                    {
                        using var chain = new X509Chain();
                        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                        chain.ChainPolicy.CustomTrustStore.Add(ca);
                        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                        return args.Certificate is not null && chain.Build(new X509Certificate2(args.Certificate));
                    });
                }
            });
        }

        return builder;
    }
}
