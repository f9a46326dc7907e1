using ChargerFirmware.Link;

namespace ChargerFirmware.DeviceTests.Parts
{
    /// <summary>What the broker hands the aggregator: every message the charger publishes.</summary>
    public interface IPublishSink
    {
        /// <summary>The charger published <paramref name="length"/> bytes of <paramref name="payload"/> on <paramref name="topic"/> (copy what you keep).</summary>
        void Published(string topic, byte[] payload, int length);
    }

    /// <summary>
    /// An MQTT client whose broker is in the same program: it connects at once, hands every publish to
    /// an <see cref="IPublishSink"/> (the aggregator's side), and <see cref="Deliver"/> brings a
    /// message to the charger as the client library's receive thread would.
    /// </summary>
    public sealed class LoopbackTransport : IMqttTransport
    {
        private readonly IPublishSink _sink;
        private bool _connected;

        /// <summary>A transport publishing into <paramref name="sink"/>.</summary>
        public LoopbackTransport(IPublishSink sink)
        {
            _sink = sink;
        }

        /// <summary>Subscriptions made since start.</summary>
        public int Subscriptions;

        /// <inheritdoc />
        public bool IsConnected
        {
            get { return _connected; }
        }

        /// <inheritdoc />
        public string LastError
        {
            get { return string.Empty; }
        }

        /// <inheritdoc />
        public IMqttReceiver? Receiver { get; set; }

        /// <inheritdoc />
        public bool Connect(MqttConnectOptions options)
        {
            _connected = true;
            return true;
        }

        /// <inheritdoc />
        public void Disconnect()
        {
            _connected = false;
        }

        /// <inheritdoc />
        public bool Subscribe(string topic, int qos)
        {
            Subscriptions++;
            return _connected;
        }

        /// <inheritdoc />
        public bool Publish(string topic, byte[] payload, int length, int qos, bool retain)
        {
            if (!_connected)
            {
                return false;
            }

            _sink.Published(topic, payload, length);
            if (qos > 0)
            {
                Proof();
            }

            return true;
        }

        /// <inheritdoc />
        public bool Probe()
        {
            if (!_connected)
            {
                return false;
            }

            Proof();
            return true;
        }

        // The broker answers at once (a PUBACK or the probe's answer): a proof of life.
        private void Proof()
        {
            IMqttReceiver? receiver = Receiver;
            if (receiver != null)
            {
                receiver.OnProof();
            }
        }

        /// <summary>Delivers <paramref name="payload"/> on <paramref name="topic"/> to the charger.</summary>
        public void Deliver(string topic, byte[] payload)
        {
            IMqttReceiver? receiver = Receiver;
            if (receiver != null)
            {
                receiver.OnMessage(topic, payload);
            }
        }
    }
}
