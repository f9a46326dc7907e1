namespace ChargerFirmware.Link
{
    /// <summary>
    /// The MQTT client under the aggregator link: M2Mqtt on the device, MQTTnet on the host. Thin:
    /// topics, payloads and QoS in; received messages, every proof of the broker's life (any packet
    /// it sends) and connection loss out. Every rule (what to publish, when to probe, when the broker
    /// counts as gone, when to reconnect) lives in the portable link above it. Called only from the
    /// link's own thread. A QoS 1 publish either waits for its PUBACK (and fails without it) or
    /// returns at once and reports the PUBACK or its absence later through the receiver.
    /// </summary>
    public interface IMqttTransport
    {
        /// <summary>Connects (blocking, bounded by the client's own timeout); false with <see cref="LastError"/> on failure.</summary>
        bool Connect(MqttConnectOptions options);

        /// <summary>Closes the connection if open (the broker then does not send the Last Will).</summary>
        void Disconnect();

        /// <summary>True while connected.</summary>
        bool IsConnected { get; }

        /// <summary>The last connection or publish error, for the console's net command; never holds a secret.</summary>
        string LastError { get; }

        /// <summary>Subscribes to <paramref name="topic"/> at QoS <paramref name="qos"/>; false on failure.</summary>
        bool Subscribe(string topic, int qos);

        /// <summary>Publishes <paramref name="length"/> bytes of <paramref name="payload"/>; false on failure.</summary>
        bool Publish(string topic, byte[] payload, int length, int qos, bool retain);

        /// <summary>
        /// Asks the broker for a proof of life without waiting for it: a PINGREQ, or where the client
        /// cannot send one on demand a request with no effect that the broker must answer (an
        /// UNSUBSCRIBE of <see cref="MqttConnectOptions.ProbeTopic"/>). The answer arrives as
        /// <see cref="IMqttReceiver.OnProof"/>; false when the request could not even be sent.
        /// </summary>
        bool Probe();

        /// <summary>Where received messages and connection loss go; set once before <see cref="Connect"/>.</summary>
        IMqttReceiver? Receiver { get; set; }
    }

    /// <summary>Receives what the transport gets from the broker (on the transport's thread: post, do not work).</summary>
    public interface IMqttReceiver
    {
        /// <summary>A message arrived on <paramref name="topic"/>.</summary>
        void OnMessage(string topic, byte[] payload);

        /// <summary>The connection dropped.</summary>
        void OnConnectionLost();

        /// <summary>The broker sent something (CONNACK, SUBACK, PUBACK, PINGRESP, UNSUBACK, a message): it is alive now.</summary>
        void OnProof();

        /// <summary>A QoS 1 message went unacknowledged through the client's own retries (for clients that report it later).</summary>
        void OnDeliveryFailed();
    }

    /// <summary>How to reach the broker; every value comes from configuration.</summary>
    public sealed class MqttConnectOptions
    {
        /// <summary>Broker host name or address.</summary>
        public string Host = "127.0.0.1";

        /// <summary>Broker port (1883 plain, 8883 TLS).</summary>
        public int Port = 1883;

        /// <summary>Client id (the charger id).</summary>
        public string ClientId = "charger-1";

        /// <summary>User name, or null.</summary>
        public string? UserName;

        /// <summary>Password, or null. Never logged.</summary>
        public string? Password;

        /// <summary>True to use TLS.</summary>
        public bool UseTls;

        /// <summary>CA certificate (PEM) that signs the broker's certificate, or null for the system store.</summary>
        public string? CaCertificatePem;

        /// <summary>Client certificate (PEM), or null.</summary>
        public string? ClientCertificatePem;

        /// <summary>Client private key (PEM), or null. Never logged.</summary>
        public string? ClientKeyPem;

        /// <summary>Keep-alive interval, s.</summary>
        public int KeepAliveS = 30;

        /// <summary>A topic the charger never subscribes to: a client that cannot send PINGREQ on demand probes by unsubscribing from it.</summary>
        public string ProbeTopic = string.Empty;

        /// <summary>Last Will topic (the availability topic).</summary>
        public string WillTopic = string.Empty;

        /// <summary>Last Will payload ("offline").</summary>
        public string WillPayload = "offline";
    }
}
