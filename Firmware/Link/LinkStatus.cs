namespace ChargerFirmware.Link
{
    /// <summary>
    /// How the aggregator link is doing, for the technician: broker, connection, reconnect backoff,
    /// last error and message counts. The link fills it; the console copies it with
    /// <see cref="CopyTo"/>. Thread-safe. It never holds a secret: no password, key or token goes in
    /// here, and error texts must not quote one.
    /// </summary>
    public sealed class LinkStatus
    {
        private readonly object _gate = new object();
        private string _host = string.Empty;
        private int _port;
        private bool _connected;
        private long _sinceMs = -1;
        private int _attempts;
        private int _backoffMs;
        private string _lastError = string.Empty;
        private long _lastErrorMs = -1;
        private int _messagesIn;
        private int _messagesOut;

        /// <summary>Broker host name or address (empty before configuration).</summary>
        public string Host
        {
            get
            {
                lock (_gate)
                {
                    return _host;
                }
            }
        }

        /// <summary>Broker TCP port.</summary>
        public int Port
        {
            get
            {
                lock (_gate)
                {
                    return _port;
                }
            }
        }

        /// <summary>True while the link is connected to the broker.</summary>
        public bool Connected
        {
            get
            {
                lock (_gate)
                {
                    return _connected;
                }
            }
        }

        /// <summary>Monotonic ms of the last change between connected and disconnected, -1 never.</summary>
        public long SinceMs
        {
            get
            {
                lock (_gate)
                {
                    return _sinceMs;
                }
            }
        }

        /// <summary>Reconnect attempts since the last successful connection.</summary>
        public int ReconnectAttempts
        {
            get
            {
                lock (_gate)
                {
                    return _attempts;
                }
            }
        }

        /// <summary>The wait before the next reconnect attempt, ms (0 while connected).</summary>
        public int BackoffMs
        {
            get
            {
                lock (_gate)
                {
                    return _backoffMs;
                }
            }
        }

        /// <summary>The last error's text (empty when none), never holding a secret.</summary>
        public string LastError
        {
            get
            {
                lock (_gate)
                {
                    return _lastError;
                }
            }
        }

        /// <summary>Monotonic ms of the last error, -1 never.</summary>
        public long LastErrorMs
        {
            get
            {
                lock (_gate)
                {
                    return _lastErrorMs;
                }
            }
        }

        /// <summary>Messages received since start.</summary>
        public int MessagesIn
        {
            get
            {
                lock (_gate)
                {
                    return _messagesIn;
                }
            }
        }

        /// <summary>Messages sent since start.</summary>
        public int MessagesOut
        {
            get
            {
                lock (_gate)
                {
                    return _messagesOut;
                }
            }
        }

        /// <summary>Sets the broker the link talks to.</summary>
        public void SetBroker(string host, int port)
        {
            lock (_gate)
            {
                _host = host == null ? string.Empty : host;
                _port = port;
            }
        }

        /// <summary>The link connected at monotonic <paramref name="nowMs"/>: attempts and backoff reset.</summary>
        public void SetConnected(long nowMs)
        {
            lock (_gate)
            {
                _connected = true;
                _sinceMs = nowMs;
                _attempts = 0;
                _backoffMs = 0;
            }
        }

        /// <summary>The link went down at monotonic <paramref name="nowMs"/> because of <paramref name="error"/> (no secret in it).</summary>
        public void SetDisconnected(long nowMs, string error)
        {
            lock (_gate)
            {
                if (_connected || _sinceMs < 0)
                {
                    _sinceMs = nowMs;
                }

                _connected = false;
                SetErrorLocked(nowMs, error);
            }
        }

        /// <summary>A reconnect attempt starts; the next one waits <paramref name="backoffMs"/> if it fails.</summary>
        public void SetReconnecting(int backoffMs)
        {
            lock (_gate)
            {
                _attempts++;
                _backoffMs = backoffMs;
            }
        }

        /// <summary>Records an error at monotonic <paramref name="nowMs"/> without changing the connection state.</summary>
        public void SetError(long nowMs, string error)
        {
            lock (_gate)
            {
                SetErrorLocked(nowMs, error);
            }
        }

        /// <summary>Counts one message received.</summary>
        public void CountIn()
        {
            lock (_gate)
            {
                _messagesIn++;
            }
        }

        /// <summary>Counts one message sent.</summary>
        public void CountOut()
        {
            lock (_gate)
            {
                _messagesOut++;
            }
        }

        /// <summary>Copies every field into <paramref name="into"/> at once (a consistent view for a reader).</summary>
        public void CopyTo(LinkStatus into)
        {
            string host;
            int port;
            bool connected;
            long sinceMs;
            int attempts;
            int backoffMs;
            string lastError;
            long lastErrorMs;
            int messagesIn;
            int messagesOut;
            lock (_gate)
            {
                host = _host;
                port = _port;
                connected = _connected;
                sinceMs = _sinceMs;
                attempts = _attempts;
                backoffMs = _backoffMs;
                lastError = _lastError;
                lastErrorMs = _lastErrorMs;
                messagesIn = _messagesIn;
                messagesOut = _messagesOut;
            }

            // Two locks are never held together: no lock order to get wrong.
            lock (into._gate)
            {
                into._host = host;
                into._port = port;
                into._connected = connected;
                into._sinceMs = sinceMs;
                into._attempts = attempts;
                into._backoffMs = backoffMs;
                into._lastError = lastError;
                into._lastErrorMs = lastErrorMs;
                into._messagesIn = messagesIn;
                into._messagesOut = messagesOut;
            }
        }

        private void SetErrorLocked(long nowMs, string error)
        {
            _lastError = error == null ? string.Empty : error;
            _lastErrorMs = nowMs;
        }
    }
}
