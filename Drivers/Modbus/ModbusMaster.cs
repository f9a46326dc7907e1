using System;

namespace ChargerFirmware.Drivers.Modbus
{
    /// <summary>
    /// Non-blocking Modbus RTU master. Drivers queue their <see cref="ModbusTransaction"/> with
    /// <see cref="Begin"/>; <see cref="Poll"/>, called every control tick, sends one request at a
    /// time in queue order (so drivers sharing the bus take turns), collects the response bytes
    /// that have arrived, and finishes a transaction when its frame is complete, when the response
    /// timeout passes, or after the configured retries. It never waits, never lets an exception of
    /// the port out, and allocates nothing after construction. Its timing is a
    /// <see cref="ModbusTiming"/> read afresh for every request.
    /// </summary>
    /// <remarks>
    /// Frame end: the expected response length is known from the request and the first bytes
    /// (exception 5, write 8, read 5 + byte count); the frame is taken once that many bytes arrived
    /// and the line then stayed silent for 3.5 characters (more bytes: a long frame). A frame still
    /// incomplete at the deadline is a short frame: silence is not used to cut a frame early,
    /// because a UART driver may hand over a frame in bursts. The deadline is the response timeout
    /// plus the time the request and the longest valid response take on the wire.
    /// Late answers: bytes that arrive while no answer is expected are drained before every
    /// request; a complete, intact frame that does not answer the request in progress (another
    /// unit, another function, another length) is discarded and the wait goes on; after a request
    /// that got no complete answer the line stays silent for the response timeout once more
    /// (anything arriving then is discarded), so an answer that comes late is never taken for the
    /// answer to the next request.
    /// </remarks>
    public sealed class ModbusMaster
    {
        /// <summary>Most transactions waiting for the bus at once.</summary>
        public const int QueueCapacity = 8;

        private const int BitsPerCharacter = 11;

        private readonly IModbusPort _port;
        private readonly ModbusTiming _timing;
        private readonly int _characterMicros;
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
        private int _discarded;
        private long _deadlineMs;
        private long _settleUntilMs = long.MinValue / 2;
        private long _lastActivityMs = long.MinValue / 2;

        /// <summary>
        /// Creates a master on <paramref name="port"/> at <paramref name="baudRate"/> (11 bits per
        /// character) with the timing <paramref name="timing"/> (kept, not copied).
        /// </summary>
        public ModbusMaster(IModbusPort port, int baudRate, ModbusTiming timing)
        {
            if (port == null || timing == null)
            {
                throw new ArgumentNullException(nameof(port));
            }

            if (baudRate < 1200)
            {
                throw new ArgumentOutOfRangeException(nameof(baudRate));
            }

            _port = port;
            _timing = timing;
            _characterMicros = (BitsPerCharacter * 1000000 + baudRate - 1) / baudRate;
            SilentIntervalMs = SilentIntervalMsForBaud(baudRate);
        }

        /// <summary>The timing in force (shared with the drivers on this bus).</summary>
        public ModbusTiming Timing
        {
            get { return _timing; }
        }

        /// <summary>The 3.5-character silence that ends a frame and separates frames, in whole ms.</summary>
        public int SilentIntervalMs { get; private set; }

        /// <summary>Requests written to the line, retries included.</summary>
        public int RequestsSent { get; private set; }

        /// <summary>Requests repeated after a failed attempt.</summary>
        public int RetriesSent { get; private set; }

        /// <summary>Transactions that ended in a timeout or an error.</summary>
        public int Failures { get; private set; }

        /// <summary>Bytes that arrived while no response was expected (late answers, noise), discarded.</summary>
        public int StrayBytes { get; private set; }

        /// <summary>Intact frames that did not answer the request in progress (another unit, function or length), discarded.</summary>
        public int DiscardedFrames { get; private set; }

        /// <summary>Times the port threw on a read or a write (each taken as a failed attempt).</summary>
        public int PortErrors { get; private set; }

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
        /// several times per tick; never throws for the port. Returns the status of the transaction
        /// in progress, or <see cref="ModbusStatus.Idle"/>.
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
                return _active == null ? ModbusStatus.Idle : ModbusStatus.Pending;
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

                return _active == null ? ModbusStatus.Idle : ModbusStatus.Pending;
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
            _discarded = ModbusError.None;
            RequestsSent++;
            t.Attempts++;
            t.SentAtMs = nowMs;
            t.Status = ModbusStatus.Pending;
            long wireMs = WireMs(_txLength + ModbusRtu.NormalResponseLength(_tx));
            _deadlineMs = nowMs + wireMs + _timing.ResponseTimeoutMs;
            _lastActivityMs = nowMs + WireMs(_txLength);
            try
            {
                _port.Write(_tx, 0, _txLength);
            }
            catch (Exception)
            {
                PortErrors++;
                Finish(t, ModbusError.PortFailure, nowMs);
            }
        }

        private void Receive(ModbusTransaction t, long nowMs)
        {
            int read;
            if (_rxCount < _rx.Length)
            {
                read = ReadPort(_rx, _rxCount, _rx.Length - _rxCount);
                if (read < 0)
                {
                    Finish(t, ModbusError.PortFailure, nowMs);
                    return;
                }

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
                    Finish(t, ModbusError.LongFrame, nowMs);
                }

                return;
            }

            bool complete = expected > 0 ? _rxCount == expected : expected < 0;
            if (complete && (quiet || late))
            {
                int error = ModbusRtu.CheckResponse(_tx, _rx, _rxCount);
                if (!late && IsForeignFrame(error))
                {
                    // An intact frame answering something else (a late answer, another unit's): not ours, wait on.
                    DiscardedFrames++;
                    StrayBytes += _rxCount;
                    _discarded = error;
                    _rxCount = 0;
                    return;
                }

                Finish(t, error, nowMs);
            }
            else if (late)
            {
                int error = _rxCount > 0 ? ModbusError.ShortFrame
                    : (_discarded != ModbusError.None ? _discarded : ModbusError.NoResponse);
                Finish(t, error, nowMs);
            }
        }

        // An intact frame (good CRC) from another unit, or for another function or length.
        private bool IsForeignFrame(int error)
        {
            return (error == ModbusError.WrongAddress || error == ModbusError.WrongFunction || error == ModbusError.BadByteCount)
                && ModbusCrc16.Check(_rx, _rxCount);
        }

        private void Finish(ModbusTransaction t, int error, long nowMs)
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

            if (error != ModbusError.BadCrc && error != ModbusError.BadEcho && error != ModbusError.LongFrame)
            {
                // No complete answer: the device may still be answering, and its neighbours may still
                // be waiting for that answer. Keep the line silent once more before the next frame.
                _settleUntilMs = nowMs + _timing.ResponseTimeoutMs;
            }

            int retries = t.NoRetry ? 0 : _timing.Retries;
            if (t.Attempts <= retries)
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
            int gap = _timing.InterFrameGapMs > SilentIntervalMs ? _timing.InterFrameGapMs : SilentIntervalMs;
            return nowMs - _lastActivityMs >= gap && nowMs >= _settleUntilMs;
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
            while ((read = ReadPort(_rx, 0, _rx.Length)) > 0)
            {
                total += read;
            }

            if (total > 0)
            {
                _lastActivityMs = nowMs;
            }

            return total;
        }

        // The port's bytes, or -1 when the port threw (counted; the caller treats it as a failure).
        private int ReadPort(byte[] buffer, int offset, int count)
        {
            try
            {
                return _port.Read(buffer, offset, count);
            }
            catch (Exception)
            {
                PortErrors++;
                return -1;
            }
        }

        private long WireMs(int bytes)
        {
            return ((long)bytes * _characterMicros + 999) / 1000;
        }
    }
}
