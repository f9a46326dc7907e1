using ChargerFirmware.Config;
using ChargerFirmware.Events;
using ChargerFirmware.Protocol.Messages;

namespace ChargerFirmware.Dispatch
{
    /// <summary>
    /// The aggregator's dispatch as the charger holds it: at most one active (or scheduled) order,
    /// with the rules of the contract. The sequence number must exceed the highest seen, which is on
    /// flash before an order runs (<see cref="SequenceStore"/>: two copies; lost, it fails closed by
    /// issuedAt), so a replay after a restart is still refused; an order issued further in the future
    /// than the allowed clock skew, or already over, is refused; a new order supersedes the active
    /// one; cancel ends it; its end (startAt + durationS, or receipt + durationS) ends it with an
    /// event; it lasts at most the offline limit past the broker's last proof of life. Every outcome
    /// is acknowledged through the outbox. Owned by the control loop.
    /// </summary>
    public sealed class DispatchManager
    {
        private readonly ChargerConfig _config;
        private readonly EventQueue _outbox;
        private readonly SequenceStore _sequence;
        private long _lastProofMs = LinkLiveness.Never;
        private bool _startToConfirm;
        private long _nowMs;

        /// <summary>A manager guarding replays with <paramref name="sequence"/> (loaded) and acknowledging into <paramref name="outbox"/>.</summary>
        public DispatchManager(ChargerConfig config, SequenceStore sequence, EventQueue outbox)
        {
            _config = config;
            _outbox = outbox;
            _sequence = sequence;
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

        /// <summary>True while an order is held (scheduled or running).</summary>
        public bool Holding { get; private set; }

        /// <summary>True while the held order runs (its start has come).</summary>
        public bool Running { get; private set; }

        /// <summary>The held order's id.</summary>
        public string Id { get; private set; } = string.Empty;

        /// <summary>The held order's setpoint, W (+ charge, - discharge).</summary>
        public int SetpointW { get; private set; }

        /// <summary>The held order's ramp, W/s (0: the charger's own).</summary>
        public int RampWps { get; private set; }

        /// <summary>True when the held order carries its own prices.</summary>
        public bool HasPrices { get; private set; }

        /// <summary>The order's buying price (aggregator charging), milli-currency per kWh.</summary>
        public int BuyPriceMilli { get; private set; }

        /// <summary>The order's selling price (discharge), milli-currency per kWh.</summary>
        public int SellPriceMilli { get; private set; }

        /// <summary>Monotonic ms when the held order starts.</summary>
        public long StartMs { get; private set; }

        /// <summary>Monotonic ms when the held order ends by its own duration.</summary>
        public long EndMs { get; private set; }

        /// <summary>
        /// Checks the rules that do not depend on the driver. Returns null when the order may be
        /// weighed against the driver's conditions, else the refusal's reason.
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
                // Without wall time an issuedAt or startAt cannot be judged; an order that starts
                // on receipt only needs its duration.
                return order.HasStartAt ? DispatchReasons.ClockUnsynchronised : null;
            }

            if (order.IssuedAtMs > utcMs + _config.ClockSkewMs)
            {
                return DispatchReasons.IssuedInFuture;
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
        public void Accept(DispatchMessage order, long nowMs, long utcMs, int appliedW)
        {
            _nowMs = nowMs;
            if (!_sequence.Raise(order.Seq))
            {
                Ack(order.Id, DispatchStatus.Rejected, DispatchReasons.StorageFault, 0, utcMs);
                return;
            }

            if (Holding)
            {
                Ack(Id, DispatchStatus.Superseded, null, 0, utcMs);
            }

            Holding = true;
            Running = false;
            _startToConfirm = false;
            Id = order.Id ?? string.Empty;
            SetpointW = order.SetpointW;
            RampWps = order.HasRampWps ? order.RampWps : 0;
            HasPrices = order.HasBuyPrice || order.HasSellPrice;
            BuyPriceMilli = order.HasBuyPrice ? (int)order.BuyPriceMilli : int.MaxValue;
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

            Ack(Id, DispatchStatus.Accepted, null, appliedW, utcMs);
        }

        /// <summary>Refuses <paramref name="order"/> with <paramref name="reason"/>; a decoded order's sequence still counts as seen.</summary>
        public void Reject(DispatchMessage order, string reason, long utcMs)
        {
            if (reason != DispatchReasons.Replayed)
            {
                // Judged is seen: refused or not, the order cannot come back. A failed write is
                // reported by the store; the refusal stands either way.
                _sequence.Raise(order.Seq);
            }

            Ack(order.Id, DispatchStatus.Rejected, reason, 0, utcMs);
        }

        /// <summary>Refuses a payload that could not be decoded; <paramref name="id"/> is the salvaged id or null.</summary>
        public void RejectUndecoded(string? id, string reason, long utcMs)
        {
            Ack(id, DispatchStatus.Rejected, reason, 0, utcMs);
        }

        /// <summary>Cancels the held order when <paramref name="id"/> names it; else refuses the cancel.</summary>
        public void Cancel(string? id, long utcMs)
        {
            if (Holding && id == Id)
            {
                Holding = false;
                Running = false;
                Ack(id, DispatchStatus.Cancelled, null, 0, utcMs);
                return;
            }

            Ack(id, DispatchStatus.Rejected, DispatchReasons.UnknownId, 0, utcMs);
        }

        /// <summary>Ends a held order because the vehicle left (its consent went with it), with an ack and an event.</summary>
        public void VehicleLeft(long nowMs, long utcMs)
        {
            if (!Holding)
            {
                return;
            }

            _nowMs = nowMs;
            Holding = false;
            Running = false;
            _startToConfirm = false;
            Ack(Id, DispatchStatus.Expired, DispatchReasons.VehicleLeft, 0, utcMs);
            _outbox.Post(OutboundKind.DispatchExpired, 0, nowMs, Id, null);
        }

        /// <summary>The broker last proved it was alive at monotonic <paramref name="proofMs"/> (read from the link's <see cref="LinkLiveness"/> every tick).</summary>
        public void SetLastProof(long proofMs)
        {
            _lastProofMs = proofMs;
        }

        /// <summary>
        /// Starts a scheduled order when its time comes and ends one whose time is over; call once
        /// per tick before deciding, then <see cref="ConfirmStart"/> with what the decision applies.
        /// </summary>
        public void Tick(long nowMs, long utcMs, bool utcValid)
        {
            _nowMs = nowMs;
            if (utcValid && _sequence.FloorPending)
            {
                _sequence.PlaceFloor(utcMs);
            }

            if (!Holding)
            {
                return;
            }

            // Offline is counted from the broker's last proof of life, not from when anyone noticed.
            bool offlineCut = _lastProofMs != LinkLiveness.Never && nowMs - _lastProofMs >= _config.DispatchOfflineLimitMs;
            if (nowMs >= EndMs || offlineCut)
            {
                Holding = false;
                Running = false;
                _startToConfirm = false;
                bool completed = nowMs >= EndMs;
                Ack(Id, completed ? DispatchStatus.Completed : DispatchStatus.Expired, completed ? null : DispatchReasons.OfflineLimit, 0, utcMs);
                _outbox.Post(OutboundKind.DispatchExpired, 0, nowMs, Id, null);
                return;
            }

            if (!Running && nowMs >= StartMs)
            {
                Running = true;
                _startToConfirm = true;
            }
        }

        /// <summary>Acknowledges an order that started this tick as active, with the power the charger aims at for it.</summary>
        public void ConfirmStart(int appliedW, long utcMs)
        {
            if (_startToConfirm)
            {
                _startToConfirm = false;
                Ack(Id, DispatchStatus.Active, null, appliedW, utcMs);
            }
        }

        private void Ack(string? id, int status, string? reason, int appliedW, long utcMs)
        {
            DispatchAckMessage ack = new DispatchAckMessage();
            ack.Id = id;
            ack.Status = status;
            ack.Reason = reason;
            ack.AppliedW = appliedW;
            ack.AtMs = utcMs;
            _outbox.Post(OutboundKind.DispatchAck, status, _nowMs, id, ack);
        }
    }
}
