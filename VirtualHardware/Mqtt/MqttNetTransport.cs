using System.Buffers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ChargerFirmware.Link;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace ChargerFirmware.VirtualHardware.Mqtt;

/// <summary>
/// <see cref="IMqttTransport"/> over MQTTnet (MQTT 3.1.1) for the host: simulator and integration
/// tests. TLS with the configured CA (the broker's chain must end at it and name the host), or the
/// system store without one; an optional client certificate and key (PEM); user and password; a
/// retained QoS 1 Last Will; keep-alive; clean session. A new MQTTnet client per connection, so a
/// dropped one leaves nothing behind; its events reach <see cref="Receiver"/> only while it is the
/// current one. Every call blocks for at most <see cref="Timeout"/>; a QoS 1 publish waits for its
/// PUBACK and fails without it. Each answer of the broker (CONNACK, SUBACK, PUBACK, PINGRESP, a
/// message) is reported as a proof of life; <see cref="Probe"/> sends a PINGREQ without waiting.
/// </summary>
public sealed class MqttNetTransport : IMqttTransport, IDisposable
{
    private readonly MqttClientFactory _factory = new();
    private readonly object _gate = new();
    private IMqttClient? _client;
    private volatile string _lastError = string.Empty;
    private volatile string? _tlsFailure;

    /// <summary>Bound on connecting, subscribing and each publish (QoS 1 waits for the broker's ack).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    public IMqttReceiver? Receiver { get; set; }

    /// <inheritdoc />
    public bool IsConnected => Current?.IsConnected == true;

    /// <inheritdoc />
    public string LastError => _lastError;

    private IMqttClient? Current
    {
        get
        {
            lock (_gate)
            {
                return _client;
            }
        }
    }

    /// <inheritdoc />
    public bool Connect(MqttConnectOptions options)
    {
        Release(clean: false);
        _tlsFailure = null;
        IMqttClient client = _factory.CreateMqttClient();
        try
        {
            MqttClientOptions built = Build(options);
            client.ApplicationMessageReceivedAsync += e => OnMessage(client, e);
            client.DisconnectedAsync += e => OnDisconnected(client, e);
            using var timeout = new CancellationTokenSource(Timeout);
            MqttClientConnectResult result = client.ConnectAsync(built, timeout.Token).GetAwaiter().GetResult();
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                _lastError = $"broker {options.Host}:{options.Port} refused the connection: {result.ResultCode}";
                client.Dispose();
                return false;
            }

            lock (_gate)
            {
                _client = client;
            }

            Receiver?.OnProof();
            return true;
        }
        catch (Exception ex)
        {
            _lastError = Describe(options, ex);
            client.Dispose();
            return false;
        }
    }

    /// <inheritdoc />
    public void Disconnect() => Release(clean: true);

    /// <summary>
    /// Drops the connection as a power cut or a dead network would: the socket closes without an
    /// MQTT DISCONNECT, so the broker publishes the Last Will. The receiver is not told.
    /// </summary>
    public void Abort() => Release(clean: false);

    /// <inheritdoc />
    public bool Subscribe(string topic, int qos)
    {
        IMqttClient? client = Current;
        if (client == null)
        {
            _lastError = "not connected";
            return false;
        }

        try
        {
            MqttClientSubscribeOptions subscription = _factory.CreateSubscribeOptionsBuilder()
                .WithTopicFilter(topic, (MqttQualityOfServiceLevel)qos)
                .Build();
            using var timeout = new CancellationTokenSource(Timeout);
            MqttClientSubscribeResult result = client.SubscribeAsync(subscription, timeout.Token).GetAwaiter().GetResult();
            MqttClientSubscribeResultCode code = result.Items.First().ResultCode;
            if (code > MqttClientSubscribeResultCode.GrantedQoS2)
            {
                _lastError = $"subscription to {topic} refused: {code}";
                return false;
            }

            Receiver?.OnProof();
            return true;
        }
        catch (Exception ex)
        {
            _lastError = $"subscribe to {topic} failed: {ex.Message}";
            return false;
        }
    }

    /// <inheritdoc />
    public bool Publish(string topic, byte[] payload, int length, int qos, bool retain)
    {
        IMqttClient? client = Current;
        if (client == null)
        {
            _lastError = "not connected";
            return false;
        }

        try
        {
            MqttApplicationMessage message = new MqttApplicationMessageBuilder()
                .WithTopic(topic)
                .WithPayload(payload.AsSpan(0, length).ToArray())
                .WithQualityOfServiceLevel((MqttQualityOfServiceLevel)qos)
                .WithRetainFlag(retain)
                .Build();
            using var timeout = new CancellationTokenSource(Timeout);
            MqttClientPublishResult result = client.PublishAsync(message, timeout.Token).GetAwaiter().GetResult();
            if (!result.IsSuccess)
            {
                _lastError = $"publish to {topic} refused: {result.ReasonCode}";
                return false;
            }

            if (qos > 0)
            {
                Receiver?.OnProof();
            }

            return true;
        }
        catch (Exception ex)
        {
            _lastError = $"publish to {topic} failed: {ex.Message}";
            return false;
        }
    }

    /// <inheritdoc />
    public bool Probe()
    {
        IMqttClient? client = Current;
        if (client == null)
        {
            _lastError = "not connected";
            return false;
        }

        var timeout = new CancellationTokenSource(Timeout);
        client.PingAsync(timeout.Token).ContinueWith(
            ping =>
            {
                timeout.Dispose();
                if (ping.IsCompletedSuccessfully && ReferenceEquals(client, Current))
                {
                    Receiver?.OnProof();
                }
                else if (ping.Exception != null)
                {
                    _lastError = $"ping failed: {ping.Exception.GetBaseException().Message}";
                }
            },
            TaskScheduler.Default);
        return true;
    }

    /// <summary>Closes the connection cleanly.</summary>
    public void Dispose() => Release(clean: true);

    private MqttClientOptions Build(MqttConnectOptions options)
    {
        MqttClientOptionsBuilder builder = new MqttClientOptionsBuilder()
            .WithTcpServer(options.Host, options.Port)
            .WithClientId(options.ClientId)
            .WithProtocolVersion(MqttProtocolVersion.V311)
            .WithCleanSession(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(options.KeepAliveS))
            .WithTimeout(Timeout);
        if (options.UserName != null)
        {
            builder.WithCredentials(options.UserName, options.Password);
        }

        if (options.WillTopic.Length > 0)
        {
            builder.WithWillTopic(options.WillTopic)
                .WithWillPayload(Encoding.UTF8.GetBytes(options.WillPayload))
                .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .WithWillRetain(true);
        }

        if (options.UseTls)
        {
            builder.WithTlsOptions(Tls(options));
        }

        return builder.Build();
    }

    private MqttClientTlsOptions Tls(MqttConnectOptions options)
    {
        X509Certificate2? authority = options.CaCertificatePem == null ? null : LoadPem(options.CaCertificatePem, "CA certificate");
        var tls = new MqttClientTlsOptionsBuilder()
            .UseTls()
            .WithCertificateValidationHandler(e => Validate(e, authority, options.Host));
        if (options.ClientCertificatePem != null)
        {
            if (options.ClientKeyPem == null)
            {
                throw new InvalidOperationException("client certificate configured without its private key");
            }

            tls.WithClientCertificates(new X509Certificate2Collection(ClientCertificate(options.ClientCertificatePem, options.ClientKeyPem)));
        }

        return tls.Build();
    }

    // The broker's certificate must name the host and chain to the configured CA alone (or, without
    // one, to the system store). The reason for a refusal is kept for LastError.
    private bool Validate(MqttClientCertificateValidationEventArgs e, X509Certificate2? authority, string host)
    {
        if (e.Certificate == null || (e.SslPolicyErrors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            _tlsFailure = "the broker sent no certificate";
            return false;
        }

        if ((e.SslPolicyErrors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            _tlsFailure = $"the broker's certificate does not name {host}";
            return false;
        }

        if (authority == null)
        {
            if (e.SslPolicyErrors == SslPolicyErrors.None)
            {
                return true;
            }

            _tlsFailure = "the broker's certificate is not trusted by the system store";
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using X509Certificate2 presented = X509CertificateLoader.LoadCertificate(e.Certificate.GetRawCertData());
        if (chain.Build(presented))
        {
            return true;
        }

        string status = string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()));
        _tlsFailure = $"the broker's certificate is not signed by the configured CA ({status})";
        return false;
    }

    private static X509Certificate2 LoadPem(string pem, string what)
    {
        try
        {
            return X509Certificate2.CreateFromPem(pem);
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new InvalidOperationException($"{what} is not a valid PEM certificate", ex);
        }
    }

    // SslStream wants the key in a platform store: load the PEM pair and re-import it as PKCS#12.
    private static X509Certificate2 ClientCertificate(string certificatePem, string keyPem)
    {
        try
        {
            using X509Certificate2 pair = X509Certificate2.CreateFromPem(certificatePem, keyPem);
            return X509CertificateLoader.LoadPkcs12(pair.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new InvalidOperationException("client certificate or key is not valid PEM, or they do not match", ex);
        }
    }

    private string Describe(MqttConnectOptions options, Exception ex)
    {
        string where = $"cannot connect to {options.Host}:{options.Port}";
        string? tls = _tlsFailure;
        if (tls != null)
        {
            return $"{where}: TLS: {tls}";
        }

        if (ex is InvalidOperationException)
        {
            return $"{where}: {ex.Message}";
        }

        // The innermost exception says what happened (refused, unreachable, timed out).
        Exception inner = ex;
        while (inner.InnerException != null)
        {
            inner = inner.InnerException;
        }

        return $"{where}: {inner.Message}";
    }

    private Task OnMessage(IMqttClient client, MqttApplicationMessageReceivedEventArgs e)
    {
        IMqttReceiver? receiver = Receiver;
        if (receiver != null && ReferenceEquals(client, Current))
        {
            receiver.OnProof();
            receiver.OnMessage(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray());
        }

        return Task.CompletedTask;
    }

    private Task OnDisconnected(IMqttClient client, MqttClientDisconnectedEventArgs e)
    {
        IMqttReceiver? receiver = Receiver;
        if (receiver != null && ReferenceEquals(client, Current))
        {
            _lastError = $"connection lost: {e.Reason}";
            receiver.OnConnectionLost();
        }

        return Task.CompletedTask;
    }

    // Forgets the current client first, so its last events no longer reach the receiver, then closes it.
    private void Release(bool clean)
    {
        IMqttClient? client;
        lock (_gate)
        {
            client = _client;
            _client = null;
        }

        if (client == null)
        {
            return;
        }

        if (clean && client.IsConnected)
        {
            try
            {
                using var timeout = new CancellationTokenSource(Timeout);
                client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), timeout.Token).GetAwaiter().GetResult();
            }
            catch (Exception ex)
            {
                _lastError = $"disconnect failed: {ex.Message}";
            }
        }

        client.Dispose();
    }
}
