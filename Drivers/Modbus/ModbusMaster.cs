using System;

namespace ChargerFirmware.Drivers.Modbus
{
    /// <summary>
    /// Non-blocking Modbus RTU master. Drivers queue their <see cref="ModbusTransaction"/> with
    /// <see cref="Begin"/>; <see cref="Poll"/>, called every control tick, sends one request at a
    /// time in queue order (so drivers sharing the bus take turns), collects the response bytes
    /// that have arrived, and finishes a transaction when its frame is complete, when the response
    /// timeout passes, or after the configured retries. It never waits and allocates nothing after
    /// construction.
    /// </summary>
    /// <remarks>
    /// Frame end: the expected response length is known from the request and the first bytes
    /// (exception 5, write 8, read 5 + byte count); the frame is taken once that many bytes arrived
    /// and the line then stayed silent for 3.5 characters (more bytes: a long frame). A frame still
    /// incomplete at the deadline is a short frame: silence is not used to cut a frame early,
    /// because a UART driver may hand over a frame in bursts. The deadline is the response timeout
    /// plus the time the request and the longest valid response take on the wire.
    /// </remarks>
    public sealed class ModbusMaster
    {
        /// <summary>Most transactions waiting for the bus at once.</summary>
        public const int QueueCapacity = 8;

        private const int BitsPerCharacter = 11;

        private readonly IModbusPort _port;
        private readonly int _characterMicros;
        private readonly int _responseTimeoutMs;
        private readonly byte[] _tx = new byte[ModbusRtu.MaxFrameLength];
        private readonly byte[] _rx = new byte[ModbusRtu.MaxFrameLength];
        private readonly ModbusTransaction?[] _queue = new ModbusTransaction?[QueueCapacity];
        private int _queueHead;
        private int _queueCount;
        private ModbusTransaction? _active;
        private bool _retryWaiting;
        private int _txLength;
        private int _rxCount;
        private bool _overflow;
        private long _deadlineMs;
        private long _lastActivityMs = long.MinValue / 2;

        /// <summary>
        /// Creates a master on <paramref name="port"/> at <paramref name="baudRate"/> (11 bits per
        /// character), waiting <paramref name="responseTimeoutMs"/> beyond the transmission times
        /// and repeating a failed request <paramref name="retries"/> times.
        /// </summary>
        public ModbusMaster(IModbusPort port, int baudRate, int responseTimeoutMs, int retries)
        {
            if (port == null)
            {
                throw new ArgumentNullException(nameof(port));
            }

            if (baudRate < 1200 || responseTimeoutMs < 1 || retries < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(baudRate));
            }

            _port = port;
            _characterMicros = (BitsPerCharacter * 1000000 + baudRate - 1) / baudRate;
            _responseTimeoutMs = responseTimeoutMs;
            Retries = retries;
            SilentIntervalMs = SilentIntervalMsForBaud(baudRate);
        }

        /// <summary>Repeats of a request after a timeout or a corrupt response (not after an exception response).</summary>
        public int Retries { get; private set; }

        /// <summary>The 3.5-character silence that ends a frame and separates frames, in whole ms.</summary>
        public int SilentIntervalMs { get; private set; }

        /// <summary>Requests written to the line, retries included.</summary>
        public int RequestsSent { get; private set; }

        /// <summary>Requests repeated after a failed attempt.</summary>
        public int RetriesSent { get; private set; }

        /// <summary>Transactions that ended in a timeout or an error.</summary>
        public int Failures { get; private set; }

        /// <summary>Bytes that arrived while no response was expected, or after a frame.</summary>
        public int StrayBytes { get; private set; }

        /// <summary>True when no transaction is queued or in progress.</summary>
        public bool IsIdle
        {
            get { return _active == null && _queueCount == 0; }
        }

        /// <summary>
        /// 3.5 characters of 11 bits at <paramref name="baudRate"/>, rounded up to ms; above 19200
        /// baud the standard fixes 1.75 ms.
        /// </summary>
        public static int SilentIntervalMsForBaud(int baudRate)
        {
            if (baudRate > 19200)
            {
                return 2;
            }

            int micros = (35 * BitsPerCharacter * 100000) / baudRate;
            return (micros + 999) / 1000;
        }

        /// <summary>
        /// Queues <paramref name="transaction"/> (set up beforehand); false when it is already queued
        /// or in progress, or the queue is full.
        /// </summary>
        public bool Begin(ModbusTransaction transaction)
        {
            if (transaction.IsBusy || transaction.Function == 0 || _queueCount == QueueCapacity)
            {
                return false;
            }

            transaction.Status = ModbusStatus.Queued;
            transaction.Error = ModbusError.None;
            transaction.ExceptionCode = 0;
            transaction.Attempts = 0;
            _queue[(_queueHead + _queueCount) % QueueCapacity] = transaction;
            _queueCount++;
            return true;
        }

        /// <summary>
        /// Advances the bus to <paramref name="nowMs"/>: sends, receives, finishes. Safe to call
        /// several times per tick. Returns the status of the transaction in progress, or
        /// <see cref="ModbusStatus.Idle"/>.
        /// </summary>
        public int Poll(long nowMs)
        {
            ModbusTransaction? active = _active;
            if (active == null)
            {
                DrainStray(nowMs);
                ModbusTransaction? next = _queue[_queueHead];
                if (next == null || !LineQuiet(nowMs))
                {
                    return next == null ? ModbusStatus.Idle : ModbusStatus.Queued;
                }

                _queue[_queueHead] = null;
                _queueHead = (_queueHead + 1) % QueueCapacity;
                _queueCount--;
                _active = next;
                Send(next, nowMs);
                return ModbusStatus.Pending;
            }

            if (_retryWaiting)
            {
                DrainStray(nowMs);
                if (LineQuiet(nowMs))
                {
                    _retryWaiting = false;
                    RetriesSent++;
                    Send(active, nowMs);
                }

                return ModbusStatus.Pending;
            }

            Receive(active, nowMs);
            return _active == null ? ModbusStatus.Idle : ModbusStatus.Pending;
        }

        private void Send(ModbusTransaction t, long nowMs)
        {
            switch (t.Function)
            {
                case ModbusFunction.ReadHoldingRegisters:
                    _txLength = ModbusRtu.BuildReadHoldingRegisters(_tx, t.Unit, t.Address, t.Count);
                    break;
                case ModbusFunction.WriteSingleRegister:
                    _txLength = ModbusRtu.BuildWriteSingleRegister(_tx, t.Unit, t.Address, t.Value);
                    break;
                default:
                    _txLength = ModbusRtu.BuildWriteMultipleRegisters(_tx, t.Unit, t.Address, t.Registers, t.Count);
                    break;
            }

            _rxCount = 0;
            _overflow = false;
            _port.Write(_tx, 0, _txLength);
            RequestsSent++;
            t.Attempts++;
            t.SentAtMs = nowMs;
            t.Status = ModbusStatus.Pending;
            long wireMs = WireMs(_txLength + ModbusRtu.NormalResponseLength(_tx));
            _deadlineMs = nowMs + wireMs + _responseTimeoutMs;
            _lastActivityMs = nowMs + WireMs(_txLength);
        }

        private void Receive(ModbusTransaction t, long nowMs)
        {
            int read;
            if (_rxCount < _rx.Length)
            {
                read = _port.Read(_rx, _rxCount, _rx.Length - _rxCount);
                _rxCount += read;
            }
            else
            {
                read = DrainInto(nowMs);
                _overflow |= read > 0;
            }

            if (read > 0)
            {
                _lastActivityMs = nowMs;
            }

            int expected = ModbusRtu.ExpectedResponseLength(_tx, _rx, _rxCount);
            bool quiet = _rxCount > 0 && nowMs - _lastActivityMs >= SilentIntervalMs;
            bool late = nowMs >= _deadlineMs;

            if (_overflow || (expected > 0 && _rxCount > expected))
            {
                if (quiet || late)
                {
                    Finish(t, ModbusError.LongFrame);
                }

                return;
            }

            bool complete = expected > 0 ? _rxCount == expected : expected < 0;
            if (complete && (quiet || late))
            {
                Finish(t, ModbusRtu.CheckResponse(_tx, _rx, _rxCount));
            }
            else if (late)
            {
                Finish(t, _rxCount == 0 ? ModbusError.NoResponse : ModbusError.ShortFrame);
            }
        }

        private void Finish(ModbusTransaction t, int error)
        {
            if (error == ModbusError.None)
            {
                if (t.Function == ModbusFunction.ReadHoldingRegisters)
                {
                    ModbusRtu.CopyRegisters(_rx, t.Registers, t.Count);
                }

                Complete(t, ModbusStatus.Done, ModbusError.None);
                return;
            }

            if (error == ModbusError.Exception)
            {
                t.ExceptionCode = _rx[2];
                Complete(t, ModbusStatus.Error, error);
                Failures++;
                return;
            }

            if (t.Attempts <= Retries)
            {
                _retryWaiting = true;
                t.Error = error;
                return;
            }

            Complete(t, error == ModbusError.NoResponse ? ModbusStatus.Timeout : ModbusStatus.Error, error);
            Failures++;
        }

        private void Complete(ModbusTransaction t, int status, int error)
        {
            t.Error = error;
            t.Status = status;
            _active = null;
        }

        private bool LineQuiet(long nowMs)
        {
            return nowMs - _lastActivityMs >= SilentIntervalMs;
        }

        private void DrainStray(long nowMs)
        {
            int read = DrainInto(nowMs);
            StrayBytes += read;
        }

        private int DrainInto(long nowMs)
        {
            int total = 0;
            int read;
            while ((read = _port.Read(_rx, 0, _rx.Length)) > 0)
            {
                total += read;
            }

            if (total > 0)
            {
                _lastActivityMs = nowMs;
            }

            return total;
        }

        private long WireMs(int bytes)
        {
            return ((long)bytes * _characterMicros + 999) / 1000;
        }
    }
}
