using ChargerFirmware.Protocol.Messages;

namespace ChargerFirmware.Dispatch
{
    /// <summary>
    /// The last few dispatch acknowledgements the charger sent, for the technician's console: a ring of
    /// preallocated acknowledgement copies, newest first on reading. Thread-safe (the link records, the
    /// console reads); recording copies fields and allocates nothing.
    /// </summary>
    public sealed class RecentAcks
    {
        /// <summary>Acknowledgements kept by default.</summary>
        public const int DefaultCapacity = 8;

        private readonly DispatchAckMessage[] _slots;
        private readonly object _gate = new object();
        private int _next;
        private int _count;

        /// <summary>A ring of <paramref name="capacity"/> acknowledgements.</summary>
        public RecentAcks(int capacity)
        {
            _slots = new DispatchAckMessage[capacity];
            for (int i = 0; i < capacity; i++)
            {
                _slots[i] = new DispatchAckMessage();
            }
        }

        /// <summary>Acknowledgements held.</summary>
        public int Count
        {
            get
            {
                lock (_gate)
                {
                    return _count;
                }
            }
        }

        /// <summary>Keeps a copy of <paramref name="ack"/>, dropping the oldest when full.</summary>
        public void Record(DispatchAckMessage ack)
        {
            lock (_gate)
            {
                DispatchAckMessage slot = _slots[_next];
                slot.Id = ack.Id;
                slot.Status = ack.Status;
                slot.Reason = ack.Reason;
                slot.AppliedW = ack.AppliedW;
                slot.AtMs = ack.AtMs;
                _next = (_next + 1) % _slots.Length;
                if (_count < _slots.Length)
                {
                    _count++;
                }
            }
        }

        /// <summary>Copies the acknowledgement <paramref name="age"/> places before the newest (0 = newest) into <paramref name="into"/>; false when there is none.</summary>
        public bool Copy(int age, DispatchAckMessage into)
        {
            lock (_gate)
            {
                if (age < 0 || age >= _count)
                {
                    return false;
                }

                DispatchAckMessage slot = _slots[(_next - 1 - age + _slots.Length) % _slots.Length];
                into.Id = slot.Id;
                into.Status = slot.Status;
                into.Reason = slot.Reason;
                into.AppliedW = slot.AppliedW;
                into.AtMs = slot.AtMs;
                return true;
            }
        }
    }
}
