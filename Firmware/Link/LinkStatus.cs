using ChargerFirmware.Events;

namespace ChargerFirmware.Link
{
    /// <summary>
    /// A thread-safe snapshot of the aggregator link for the console and the panel: which broker,
    /// whether connected and since when, how the reconnection goes, the last error and the message
    /// counts. The link writes it, anyone reads it. It never holds a secret: the broker is host and
    /// port only, and the last error has every configured secret masked before it gets here.
    /// </summary>
    public sealed class LinkStatus
    {
        private readonly object _gate = new object();
        private string _broker = string.Empty;
        private bool _connected;
        private long _connectedSinceMs = -1;
        private int _reconnectAttempts;
        private int _backoffMs;
        private string _lastError = string.Empty;
        private long _lastProofMs = LinkLiveness.Never;
        private long _messagesIn;
        private long _messagesOut;

        /// <summary>The broker as "host:port".</summary>
        public string Broker
        {
            get
            {
                lock (_gate)
                {
                    return _broker;
                }
            }

            set
            {
                lock (_gate)
                {
                    _broker = value;
                }
            }
        }

        /// <summary>True while connected to the broker.</summary>
        public bool Connected
        {
            get
            {
                lock (_gate)
                {
                    return _connected;
                }
            }

            set
            {
                lock (_gate)
                {
                    _connected = value;
                }
            }
        }

        /// <summary>Monotonic ms when the current connection was made; -1 while not connected.</summary>
        public long ConnectedSinceMs
        {
            get
            {
                lock (_gate)
                {
                    return _connectedSinceMs;
                }
            }

            set
            {
                lock (_gate)
                {
                    _connectedSinceMs = value;
                }
            }
        }

        /// <summary>Failed connection attempts since the link was last up (0 while connected).</summary>
        public int ReconnectAttempts
        {
            get
            {
                lock (_gate)
                {
                    return _reconnectAttempts;
                }
            }

            set
            {
                lock (_gate)
                {
                    _reconnectAttempts = value;
                }
            }
        }

        /// <summary>The wait before the next connection attempt, ms (0 while connected).</summary>
        public int BackoffMs
        {
            get
            {
                lock (_gate)
                {
                    return _backoffMs;
                }
            }

            set
            {
                lock (_gate)
                {
                    _backoffMs = value;
                }
            }
        }

        /// <summary>The last connection or publish error (empty when none yet); secrets masked.</summary>
        public string LastError
        {
            get
            {
                lock (_gate)
                {
                    return _lastError;
                }
            }

            set
            {
                lock (_gate)
                {
                    _lastError = value;
                }
            }
        }

        /// <summary>Monotonic ms when the broker last proved it was alive (<see cref="LinkLiveness.Never"/> before it ever did).</summary>
        public long LastProofMs
        {
            get
            {
                lock (_gate)
                {
                    return _lastProofMs;
                }
            }

            set
            {
                lock (_gate)
                {
                    _lastProofMs = value;
                }
            }
        }

        /// <summary>Messages received from the broker since start.</summary>
        public long MessagesIn
        {
            get
            {
                lock (_gate)
                {
                    return _messagesIn;
                }
            }
        }

        /// <summary>Messages published to the broker since start.</summary>
        public long MessagesOut
        {
            get
            {
                lock (_gate)
                {
                    return _messagesOut;
                }
            }
        }

        /// <summary>Counts one received message.</summary>
        public void CountIn()
        {
            lock (_gate)
            {
                _messagesIn++;
            }
        }

        /// <summary>Counts one published message.</summary>
        public void CountOut()
        {
            lock (_gate)
            {
                _messagesOut++;
            }
        }

        /// <summary>Copies every member into <paramref name="into"/> as one consistent snapshot.</summary>
        public void CopyTo(LinkStatus into)
        {
            string broker;
            bool connected;
            long connectedSinceMs;
            int reconnectAttempts;
            int backoffMs;
            string lastError;
            long lastProofMs;
            long messagesIn;
            long messagesOut;
            lock (_gate)
            {
                broker = _broker;
                connected = _connected;
                connectedSinceMs = _connectedSinceMs;
                reconnectAttempts = _reconnectAttempts;
                backoffMs = _backoffMs;
                lastError = _lastError;
                lastProofMs = _lastProofMs;
                messagesIn = _messagesIn;
                messagesOut = _messagesOut;
            }

            // Never both locks at once: two snapshots copied into each other cannot deadlock.
            lock (into._gate)
            {
                into._broker = broker;
                into._connected = connected;
                into._connectedSinceMs = connectedSinceMs;
                into._reconnectAttempts = reconnectAttempts;
                into._backoffMs = backoffMs;
                into._lastError = lastError;
                into._lastProofMs = lastProofMs;
                into._messagesIn = messagesIn;
                into._messagesOut = messagesOut;
            }
        }
    }
}
