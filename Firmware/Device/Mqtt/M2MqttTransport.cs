using System;
using System.Security.Cryptography.X509Certificates;
using ChargerFirmware.Link;
using nanoFramework.M2Mqtt;
using nanoFramework.M2Mqtt.Messages;

namespace ChargerFirmware.Device.Mqtt
{
    /// <summary>
    /// <see cref="IMqttTransport"/> over nanoFramework.M2Mqtt (MQTT 3.1.1). TLS 1.2 with the configured
    /// CA certificate (or, without one, the CA bundle stored on the device) and an optional client
    /// certificate and key; user name and password; a retained QoS 1 Last Will from the options. A new
    /// client is made for every connection so a dropped one leaves no state behind. Received messages,
    /// connection loss and every answer of the broker go to <see cref="Receiver"/> on M2Mqtt's threads:
    /// CONNACK (Connect returns), SUBACK (MqttMsgSubscribed), PUBACK (MqttMsgPublished, true),
    /// UNSUBACK (MqttMsgUnsubscribed) and any message; a QoS 1 message M2Mqtt gave up on after its
    /// retries (MqttMsgPublished, false) is a failed delivery. M2Mqtt's Publish does not wait for the
    /// PUBACK, and its PINGREQ is private and sent only after a keep-alive period with nothing sent,
    /// so <see cref="Probe"/> unsubscribes from a topic the charger never subscribes to instead: the
    /// broker must answer with an UNSUBACK and nothing changes.
    /// </summary>
    public sealed class M2MqttTransport : IMqttTransport
    {
        private MqttClient? _client;
        private string[] _probeTopic = new string[] { string.Empty };
        private bool _closing;
        private string _lastError = string.Empty;

        /// <inheritdoc/>
        public IMqttReceiver? Receiver { get; set; }

        /// <inheritdoc/>
        public bool IsConnected
        {
            get
            {
                MqttClient? client = _client;
                return client != null && client.IsConnected;
            }
        }

        /// <inheritdoc/>
        public string LastError
        {
            get { return _lastError; }
        }

        /// <inheritdoc/>
        public bool Connect(MqttConnectOptions options)
        {
            Release();
            MqttClient? client = null;
            try
            {
                X509Certificate? caCertificate = null;
                X509Certificate? clientCertificate = null;
                if (options.UseTls && options.CaCertificatePem != null)
                {
                    caCertificate = new X509Certificate(options.CaCertificatePem);
                }

                if (options.UseTls && options.ClientCertificatePem != null)
                {
                    if (options.ClientKeyPem == null)
                    {
                        _lastError = "client certificate configured without its private key";
                        return false;
                    }

                    clientCertificate = new X509Certificate2(options.ClientCertificatePem, options.ClientKeyPem, null);
                }

                client = new MqttClient(
                    options.Host,
                    options.Port,
                    options.UseTls,
                    caCertificate,
                    clientCertificate,
                    options.UseTls ? MqttSslProtocols.TLSv1_2 : MqttSslProtocols.None);
                client.ProtocolVersion = MqttProtocolVersion.Version_3_1_1;
                client.Settings.ValidateServerCertificate = true;
                client.MqttMsgPublishReceived += OnMessage;
                client.MqttMsgPublished += OnPublished;
                client.MqttMsgSubscribed += OnSubscribed;
                client.MqttMsgUnsubscribed += OnUnsubscribed;
                client.ConnectionClosed += OnClosed;

                bool will = options.WillTopic.Length > 0;
                MqttReasonCode code = client.Connect(
                    options.ClientId,
                    options.UserName,
                    options.Password,
                    will,
                    MqttQoSLevel.AtLeastOnce,
                    will,
                    will ? options.WillTopic : null,
                    will ? options.WillPayload : null,
                    true,
                    (ushort)options.KeepAliveS);
                if (code != MqttReasonCode.Success)
                {
                    _lastError = "broker refused the connection (reason " + ((int)code).ToString() + ")";
                    Detach(client);
                    return false;
                }

                _closing = false;
                _client = client;
                _probeTopic = new string[] { options.ProbeTopic };
                _lastError = string.Empty;
                Prove(client);
                return true;
            }
            catch (Exception ex)
            {
                _lastError = "cannot connect to " + options.Host + ":" + options.Port.ToString() + ": " + ex.Message;
                if (client != null)
                {
                    Detach(client);
                }

                return false;
            }
        }

        /// <inheritdoc/>
        public void Disconnect()
        {
            MqttClient? client = _client;
            if (client == null)
            {
                return;
            }

            _closing = true;
            try
            {
                if (client.IsConnected)
                {
                    client.Disconnect();
                }
            }
            catch (Exception ex)
            {
                _lastError = "disconnect failed: " + ex.Message;
            }

            Release();
        }

        /// <inheritdoc/>
        public bool Subscribe(string topic, int qos)
        {
            MqttClient? client = _client;
            if (client == null)
            {
                _lastError = "not connected";
                return false;
            }

            try
            {
                client.Subscribe(new string[] { topic }, new MqttQoSLevel[] { (MqttQoSLevel)qos });
                return true;
            }
            catch (Exception ex)
            {
                _lastError = "subscribe failed: " + ex.Message;
                return false;
            }
        }

        /// <inheritdoc/>
        public bool Publish(string topic, byte[] payload, int length, int qos, bool retain)
        {
            MqttClient? client = _client;
            if (client == null)
            {
                _lastError = "not connected";
                return false;
            }

            byte[] message = payload;
            if (length != payload.Length)
            {
                message = new byte[length];
                Array.Copy(payload, message, length);
            }

            try
            {
                client.Publish(topic, message, null, null, (MqttQoSLevel)qos, retain);
                return true;
            }
            catch (Exception ex)
            {
                _lastError = "publish failed: " + ex.Message;
                return false;
            }
        }

        /// <inheritdoc/>
        public bool Probe()
        {
            MqttClient? client = _client;
            if (client == null)
            {
                _lastError = "not connected";
                return false;
            }

            try
            {
                client.Unsubscribe(_probeTopic);
                return true;
            }
            catch (Exception ex)
            {
                _lastError = "probe failed: " + ex.Message;
                return false;
            }
        }

        private void OnMessage(object sender, MqttMsgPublishEventArgs e)
        {
            IMqttReceiver? receiver = Receiver;
            if (receiver != null && sender == _client)
            {
                receiver.OnProof();
                receiver.OnMessage(e.Topic, e.Message);
            }
        }

        // M2Mqtt raises this for QoS 1 only: true on the PUBACK, false when its retries ran out.
        private void OnPublished(object sender, MqttMsgPublishedEventArgs e)
        {
            IMqttReceiver? receiver = Receiver;
            if (receiver == null || sender != _client)
            {
                return;
            }

            if (e.IsPublished)
            {
                receiver.OnProof();
            }
            else
            {
                receiver.OnDeliveryFailed();
            }
        }

        private void OnSubscribed(object sender, MqttMsgSubscribedEventArgs e)
        {
            Prove(sender);
        }

        private void OnUnsubscribed(object sender, MqttMsgUnsubscribedEventArgs e)
        {
            Prove(sender);
        }

        private void Prove(object sender)
        {
            IMqttReceiver? receiver = Receiver;
            if (receiver != null && sender == _client)
            {
                receiver.OnProof();
            }
        }

        private void OnClosed(object sender, EventArgs e)
        {
            IMqttReceiver? receiver = Receiver;
            if (receiver != null && sender == _client && !_closing)
            {
                receiver.OnConnectionLost();
            }
        }

        // Forgets the current client (if any) after its events can no longer reach the receiver.
        private void Release()
        {
            MqttClient? client = _client;
            _client = null;
            if (client != null)
            {
                Detach(client);
            }
        }

        private void Detach(MqttClient client)
        {
            client.MqttMsgPublishReceived -= OnMessage;
            client.MqttMsgPublished -= OnPublished;
            client.MqttMsgSubscribed -= OnSubscribed;
            client.MqttMsgUnsubscribed -= OnUnsubscribed;
            client.ConnectionClosed -= OnClosed;
            try
            {
                client.Close();
            }
            catch (Exception)
            {
                // Closing a client whose socket already failed may throw; it is being dropped anyway.
            }
        }
    }
}
