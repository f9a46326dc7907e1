using ChargerFirmware.Config;
using ChargerFirmware.Drivers.Storage;
using ChargerFirmware.Events;
using ChargerFirmware.Persistence;
using ChargerFirmware.Protocol.Messages;

namespace ChargerFirmware.Dispatch
{
    /// <summary>
    /// The aggregator's orders as the charger holds them: at most one held (scheduled or running),
    /// each with one life, acked truthfully. Every order received gets exactly one verdict
    /// (accepted or rejected); an accepted one is acked active once the converter holds its
    /// setpoint, and ends exactly once: completed (followed to its end), expired (its time ran out
    /// before the charger could follow it), cancelled, superseded, or interrupted (the charger or
    /// the driver stopped it early: consent revoked, vehicle left, no proof of life from the broker
    /// for the offline limit, a restart, or the arbiter no longer following it, with the arbiter's
    /// reason). The sequence mark (<see cref="SequenceStore"/>: two copies; lost, it fails closed by
    /// issuedAt) refuses replays across reboots; it rises only with orders that passed the message
    /// rules and were judged on their merits. Acks wait in a small ring until the end of the control
    /// tick, when they get the setpoint the tick applied; the control loop takes a message only while
    /// the ring has room for what it may ack. Owned by the control loop.
    /// </summary>
    public sealed class DispatchManager
    {
        /// <summary>File holding the id of the order held, so a restart can end it with an ack.</summary>
        public const string HeldFileName = "dispatch.held";

        /// <summary>Acks waiting for the end of the tick (and for room in the outbox) at most.</summary>
        public const int AckCapacity = 16;

        /// <summary>Outbox slots acks leave free for events.</summary>
        public const int OutboxRoomForEvents = 8;

        /// <summary>Free ack places a message needs before the control loop takes it: a dispatch may supersede one order and be acked itself, and the tick keeps room for its own acks.</summary>
        public const int AckRoomPerMessage = 6;

        /// <summary>The converter holds a setpoint when its measured power is this close, W (or <see cref="ActiveTolerancePermille"/> of it, when more).</summary>
        public const int ActiveToleranceW = 100;

        /// <summary>Relative tolerance for holding a setpoint, per-mille of its magnitude.</summary>
        public const int ActiveTolerancePermille = 20;

        private const int HeldFileVersion = 1;

        private readonly ChargerConfig _config;
        private readonly EventQueue _outbox;
        private readonly SequenceStore _sequence;
        private readonly CheckedFile _heldFile;
        private readonly byte[] _heldBuffer = new byte[1 + Limits.MaxTokenLength];
        private readonly DispatchAckMessage?[] _acks = new DispatchAckMessage?[AckCapacity];
        private readonly ControlEvent _notice = new ControlEvent();
        private readonly ControlEvent _ackEvent = new ControlEvent();
        private int _ackHead;
        private int _ackCount;
        private int _ackUnfilled;
        private long _lastProofMs = LinkLiveness.Never;
        private string? _blockReason;
        private string? _heldAtRestart;
        private bool _expiredPending;
        private int _lastAppliedW;
        private long _holdingSinceMs = -1;

        /// <summary>
        /// A manager guarding replays with <paramref name="sequence"/> (loaded), keeping the held order's id
        /// in <paramref name="storage"/> (loads and writes reported to <paramref name="health"/>) and
        /// acknowledging into <paramref name="outbox"/>.
        /// </summary>
        public DispatchManager(ChargerConfig config, SequenceStore sequence, IStorage storage, StorageHealth health, EventQueue outbox)
        {
            _config = config;
            _outbox = outbox;
            _sequence = sequence;
            _heldFile = new CheckedFile(storage, HeldFileName, health, StoredFile.DispatchHeld);
            EndHeldBeforeRestart();
        }

        /// <summary>Highest sequence number accepted or judged, across reboots.</summary>
        public long HighestSeq
        {
            get { return _sequence.HighestSeq; }
        }

        /// <summary>The replay guard's memory.</summary>
        public SequenceStore Sequence
        {
            get { return _sequence; }
        }

        /// <summary>Monotonic ms of the broker's last proof of life as the control loop last read it (<see cref="LinkLiveness.Never"/> before the first).</summary>
        public long LastProofMs
        {
            get { return _lastProofMs; }
        }

        /// <summary>The session the held order runs in (set by the session policy), carried by its events.</summary>
        public string? SessionId { get; set; }

        /// <summary>True while an order is held (scheduled or running).</summary>
        public bool Holding { get; private set; }

        /// <summary>True while the held order runs (its start has come).</summary>
        public bool Running { get; private set; }

        /// <summary>True once the arbiter has followed the held order.</summary>
        public bool Followed { get; private set; }

        /// <summary>True once the held order was acked active (the converter held its setpoint).</summary>
        public bool Active { get; private set; }

        /// <summary>The held order's id.</summary>
        public string Id { get; private set; } = string.Empty;

        /// <summary>The held order's setpoint, W (+ charge, - discharge).</summary>
        public int SetpointW { get; private set; }

        /// <summary>The held order's ramp, W/s (0: the charger's own).</summary>
        public int RampWps { get; private set; }

        /// <summary>True when the held order carries its own buying price.</summary>
        public bool HasBuyPrice { get; private set; }

        /// <summary>The order's buying price (energy into the car), milli-currency per kWh; meaningful with <see cref="HasBuyPrice"/>.</summary>
        public int BuyPriceMilli { get; private set; }

        /// <summary>True when the held order carries its own selling price.</summary>
        public bool HasSellPrice { get; private set; }

        /// <summary>The order's selling price (energy out of the car), milli-currency per kWh; meaningful with <see cref="HasSellPrice"/>.</summary>
        public int SellPriceMilli { get; private set; }

        /// <summary>Monotonic ms when the held order starts.</summary>
        public long StartMs { get; private set; }

        /// <summary>Monotonic ms when the held order ends by its own duration.</summary>
        public long EndMs { get; private set; }

        /// <summary>True while the ack ring has room for everything one more message may ack.</summary>
        public bool CanTakeMessage
        {
            get { return AckCapacity - _ackCount >= AckRoomPerMessage; }
        }

        /// <summary>Acks made but not yet handed to the outbox.</summary>
        public int PendingAcks
        {
            get { return _ackCount; }
        }

        /// <summary>
        /// Checks the message rules, which do not depend on the driver. Returns null when the order may
        /// be judged on its merits, else the refusal's reason (such a refusal does not raise the mark).
        /// Without a synchronised clock no order can be shown to be fresh, so none is taken.
        /// </summary>
        public string? Check(DispatchMessage order, long utcMs, bool utcValid)
        {
            if (order.Seq <= _sequence.HighestSeq)
            {
                return DispatchReasons.Replayed;
            }

            // The sequence record was lost: only orders issued after the loss was found can be new.
            if (_sequence.FloorPending)
            {
                return DispatchReasons.ClockUnsynchronised;
            }

            if (order.IssuedAtMs <= _sequence.FloorUtcMs)
            {
                return DispatchReasons.SequenceLost;
            }

            if (order.Currency != null && order.Currency != _config.Currency)
            {
                return DispatchReasons.WrongCurrency;
            }

            if (!utcValid)
            {
                return DispatchReasons.ClockUnsynchronised;
            }

            if (order.IssuedAtMs > utcMs + _config.ClockSkewMs)
            {
                return DispatchReasons.IssuedInFuture;
            }

            if (utcMs - order.IssuedAtMs > _config.DispatchMaxAgeMs)
            {
                return DispatchReasons.Stale;
            }

            if (order.HasStartAt && order.StartAtMs + (long)order.DurationS * 1000 <= utcMs)
            {
                return DispatchReasons.Expired;
            }

            return null;
        }

        /// <summary>
        /// Takes <paramref name="order"/> (already checked and admitted), superseding any held order, and
        /// acknowledges it; refuses it instead (<see cref="DispatchReasons.StorageFault"/>) when its
        /// sequence number cannot be kept on flash, since after a restart it could be replayed.
        /// </summary>
        public void Accept(DispatchMessage order, long nowMs, long utcMs)
        {
            if (!_sequence.Raise(order.Seq))
            {
                Ack(order.Id, DispatchStatus.Rejected, DispatchReasons.StorageFault, utcMs);
                return;
            }

            if (Holding)
            {
                Ack(Id, DispatchStatus.Superseded, null, utcMs);
            }

            Holding = true;
            Running = false;
            Followed = false;
            Active = false;
            _holdingSinceMs = -1;
            _blockReason = null;
            Id = order.Id ?? string.Empty;
            SetpointW = order.SetpointW;
            RampWps = order.HasRampWps ? order.RampWps : 0;
            HasBuyPrice = order.HasBuyPrice;
            BuyPriceMilli = order.HasBuyPrice ? (int)order.BuyPriceMilli : 0;
            HasSellPrice = order.HasSellPrice;
            SellPriceMilli = order.HasSellPrice ? (int)order.SellPriceMilli : 0;
            long durationMs = (long)order.DurationS * 1000;
            if (order.HasStartAt)
            {
                long startMs = nowMs + (order.StartAtMs - utcMs);
                StartMs = startMs > nowMs ? startMs : nowMs;
                EndMs = startMs + durationMs;
            }
            else
            {
                StartMs = nowMs;
                EndMs = nowMs + durationMs;
            }

            StoreHeld(Id);
            Ack(Id, DispatchStatus.Accepted, null, utcMs);
        }

        /// <summary>
        /// Refuses <paramref name="order"/> with <paramref name="reason"/>. <paramref name="judged"/>: the order
        /// passed the message rules and was refused on its merits (the driver's consent or conditions, the
        /// charger's price limits), so its sequence counts as seen.
        /// </summary>
        public void Reject(DispatchMessage order, string reason, bool judged, long utcMs)
        {
            if (judged)
            {
                // Judged is seen: refused or not, the order cannot come back. A failed write is
                // reported by the store; the refusal stands either way.
                _sequence.Raise(order.Seq);
            }

            Ack(order.Id, DispatchStatus.Rejected, reason, utcMs);
        }

        /// <summary>Refuses a payload that could not be decoded; <paramref name="id"/> is the salvaged id or null (then the reason is malformed, as the contract says).</summary>
        public void RejectUndecoded(string? id, string reason, long utcMs)
        {
            Ack(id, DispatchStatus.Rejected, id == null ? DecodeReason.Malformed : reason, utcMs);
        }

        /// <summary>Cancels the held order when <paramref name="id"/> names it; else refuses the cancel.</summary>
        public void Cancel(string? id, long utcMs)
        {
            if (Holding && id == Id)
            {
                End(DispatchStatus.Cancelled, null, utcMs);
                return;
            }

            Ack(id, DispatchStatus.Rejected, id == null ? DecodeReason.Malformed : DispatchReasons.UnknownId, utcMs);
        }

        /// <summary>Ends the held order, if any, before its time with <paramref name="reason"/> (consent revoked, vehicle left, ...).</summary>
        public void Interrupt(string reason, long utcMs)
        {
            if (Holding)
            {
                End(DispatchStatus.Interrupted, reason, utcMs);
            }
        }

        /// <summary>The broker last proved it was alive at monotonic <paramref name="proofMs"/> (read from the link's <see cref="LinkLiveness"/> every tick).</summary>
        public void SetLastProof(long proofMs)
        {
            _lastProofMs = proofMs;
        }

        /// <summary>
        /// Starts a scheduled order when its time comes and ends one whose time is over (completed when
        /// it was active, else expired) or whose link was down too long (interrupted). Call once per
        /// tick before deciding.
        /// </summary>
        public void Tick(long nowMs, long utcMs, bool utcValid)
        {
            if (utcValid && _sequence.FloorPending)
            {
                _sequence.PlaceFloor(utcMs);
            }

            if (_heldAtRestart != null)
            {
                Ack(_heldAtRestart, DispatchStatus.Interrupted, DispatchReasons.Restart, utcMs);
                _heldAtRestart = null;
            }

            if (!Holding)
            {
                return;
            }

            // Offline is counted from the broker's last proof of life, not from when anyone noticed.
            if (_lastProofMs != LinkLiveness.Never && nowMs - _lastProofMs >= _config.DispatchOfflineLimitMs)
            {
                End(DispatchStatus.Interrupted, DispatchReasons.OfflineLimit, utcMs);
                return;
            }

            if (nowMs >= EndMs)
            {
                if (Active)
                {
                    End(DispatchStatus.Completed, null, utcMs);
                    return;
                }

                string? reason = _blockReason != null ? _blockReason : (Followed ? DispatchReasons.SetpointNotReached : null);
                // The event follows the order's expired ack (see FlushAcks).
                _notice.Clear();
                _notice.Kind = OutboundKind.DispatchExpired;
                _notice.Long1 = nowMs;
                _notice.Text1 = SessionId;
                _notice.Text2 = Id;
                _expiredPending = true;
                End(DispatchStatus.Expired, reason, utcMs);
                return;
            }

            if (!Running && nowMs >= StartMs)
            {
                Running = true;
            }
        }

        /// <summary>
        /// After the decision: whether the arbiter follows the running order (<paramref name="followed"/>, else
        /// <paramref name="reason"/> says why not), the setpoint applied, its target and the power the converter
        /// measured. Once the converter has held the target for two of its measurement periods (so at least one
        /// reading was taken after the setpoint reached the target: a stale one proves nothing), the order is
        /// acked active; an order that was followed and no longer is ends interrupted with the arbiter's reason.
        /// </summary>
        public void Observe(bool followed, string reason, int setpointW, int targetW, int measuredW, long nowMs, long utcMs)
        {
            if (!Running)
            {
                return;
            }

            if (!followed)
            {
                if (Followed)
                {
                    End(DispatchStatus.Interrupted, reason, utcMs);
                }
                else
                {
                    _blockReason = reason;
                }

                return;
            }

            Followed = true;
            _blockReason = null;
            if (Active)
            {
                return;
            }

            if (setpointW != targetW || !Holds(measuredW, setpointW))
            {
                _holdingSinceMs = -1;
                return;
            }

            if (_holdingSinceMs < 0)
            {
                _holdingSinceMs = nowMs;
            }

            if (nowMs - _holdingSinceMs >= 2L * _config.ConverterBus.CyclePeriodMs)
            {
                Active = true;
                Ack(Id, DispatchStatus.Active, null, utcMs);
            }
        }

        /// <summary>
        /// At the end of the control tick: the acks made in it get <paramref name="appliedW"/>, the setpoint the
        /// tick applied, and every waiting ack goes to the outbox while it has room (the rest wait for the next tick).
        /// </summary>
        public void FlushAcks(int appliedW, long nowMs)
        {
            _lastAppliedW = appliedW;
            for (int i = _ackCount - _ackUnfilled; i < _ackCount; i++)
            {
                _acks[(_ackHead + i) % AckCapacity]!.AppliedW = appliedW;
            }

            _ackUnfilled = 0;
            while (_ackCount > 0)
            {
                // Acks leave the outbox room for the session's events (its end, the unplug): in a long broker
                // outage the rest wait here, and the control loop takes no order it could not ack.
                DispatchAckMessage ack = _acks[_ackHead]!;
                _ackEvent.Kind = OutboundKind.DispatchAck;
                _ackEvent.Int1 = ack.Status;
                _ackEvent.Long1 = nowMs;
                _ackEvent.Text1 = ack.Id;
                _ackEvent.Payload = ack;
                bool posted = _outbox.Post(_ackEvent, OutboxRoomForEvents);
                _ackEvent.Clear();
                if (!posted)
                {
                    return;
                }

                _acks[_ackHead] = null;
                _ackHead = (_ackHead + 1) % AckCapacity;
                _ackCount--;
            }

            if (_expiredPending && _outbox.Post(_notice))
            {
                _expiredPending = false;
            }
        }

        /// <summary>
        /// A technician's reset of the sequence mark to 0 (after an order with a wrong, too high seq locked the
        /// charger out); orders issued before the reset stay refused (<see cref="SequenceStore.Reset"/>). Returns the mark it had.
        /// </summary>
        public long ResetSeq()
        {
            return _sequence.Reset();
        }

        private static bool Holds(int measuredW, int setpointW)
        {
            long error = (long)measuredW - setpointW;
            long magnitude = setpointW < 0 ? -(long)setpointW : setpointW;
            long tolerance = magnitude * ActiveTolerancePermille / 1000;
            if (tolerance < ActiveToleranceW)
            {
                tolerance = ActiveToleranceW;
            }

            return error <= tolerance && error >= -tolerance;
        }

        private void End(int status, string? reason, long utcMs)
        {
            string id = Id;
            Holding = false;
            Running = false;
            Followed = false;
            Active = false;
            _holdingSinceMs = -1;
            _blockReason = null;
            StoreHeld(null);
            Ack(id, status, reason, utcMs);
        }

        // An empty id: nothing held. A failed write is reported by the health; the order runs either
        // way (at worst a restart ends an order already ended, and the aggregator ignores that ack).
        private void StoreHeld(string? id)
        {
            int length = id == null ? 0 : id.Length;
            _heldBuffer[0] = (byte)length;
            for (int i = 0; i < length; i++)
            {
                _heldBuffer[1 + i] = (byte)id![i]; // ids are visible ASCII
            }

            _heldFile.Save(HeldFileVersion, _heldBuffer, 1 + length);
        }

        // An order held when the power went (or the firmware restarted) cannot be resumed safely:
        // it ends interrupted, acked at the first tick, so its life still ends exactly once.
        private void EndHeldBeforeRestart()
        {
            byte[]? stored = _heldFile.Load(HeldFileVersion);
            if (stored == null)
            {
                return;
            }

            if (stored.Length < 1 || stored.Length != 1 + stored[0])
            {
                _heldFile.ReportInvalid();
                return;
            }

            if (stored[0] == 0)
            {
                return;
            }

            char[] chars = new char[stored[0]];
            for (int i = 0; i < chars.Length; i++)
            {
                chars[i] = (char)stored[1 + i];
            }

            StoreHeld(null);
            _heldAtRestart = new string(chars);
        }

        private void Ack(string? id, int status, string? reason, long utcMs)
        {
            DispatchAckMessage ack = new DispatchAckMessage();
            ack.Id = id;
            ack.Status = status;
            ack.Reason = reason;
            ack.AtMs = utcMs;
            if (_ackCount == AckCapacity)
            {
                // Never expected (messages are taken only with room): straight to the outbox rather than lost.
                ack.AppliedW = _lastAppliedW;
                _outbox.Post(OutboundKind.DispatchAck, status, 0, id, ack);
                return;
            }

            _acks[(_ackHead + _ackCount) % AckCapacity] = ack;
            _ackCount++;
            _ackUnfilled++;
        }
    }
}
