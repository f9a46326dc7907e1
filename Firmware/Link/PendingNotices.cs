using ChargerFirmware.Events;

namespace ChargerFirmware.Link
{
    /// <summary>
    /// The link's own bounded queue of notices taken from the control loop's outbox and not yet
    /// published, so the outbox does not fill while the broker is away. When full, the oldest event
    /// makes room; the notices the aggregator settles on, dispatch acks and session-ended events, are
    /// kept: once it holds nothing else the link stops taking notices (<see cref="IsFullOfKept"/>), so
    /// the outbox and then the control loop hold the rest, and none of them is dropped. Slots are
    /// allocated once; owned by the link thread alone.
    /// </summary>
    internal sealed class PendingNotices
    {
        private readonly ControlEvent[] _slots;
        private int _head;
        private int _count;

        public PendingNotices(int capacity)
        {
            _slots = new ControlEvent[capacity];
            for (int i = 0; i < capacity; i++)
            {
                _slots[i] = new ControlEvent();
            }
        }

        /// <summary>Notices waiting.</summary>
        public int Count
        {
            get { return _count; }
        }

        /// <summary>Events dropped to make room, since start.</summary>
        public int DroppedEvents { get; private set; }

        /// <summary>Kept notices (acks, session ends) dropped to make room (the queue held nothing else), since start.</summary>
        public int DroppedAcks { get; private set; }

        /// <summary>The slot a new notice goes into, at the tail; makes room first when full.</summary>
        public ControlEvent Add()
        {
            if (_count == _slots.Length)
            {
                DropOne();
            }

            ControlEvent slot = _slots[(_head + _count) % _slots.Length];
            slot.Clear();
            _count++;
            return slot;
        }

        /// <summary>True when full and every notice is one that is kept: nothing may be dropped to make room.</summary>
        public bool IsFullOfKept()
        {
            if (_count < _slots.Length)
            {
                return false;
            }

            for (int i = 0; i < _count; i++)
            {
                if (!IsKept(_slots[(_head + i) % _slots.Length].Kind))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>The notice <paramref name="index"/> places after the oldest (0..<see cref="Count"/>-1).</summary>
        public ControlEvent At(int index)
        {
            return _slots[(_head + index) % _slots.Length];
        }

        /// <summary>The oldest notice, or null when none waits.</summary>
        public ControlEvent? Peek()
        {
            return _count == 0 ? null : _slots[_head];
        }

        /// <summary>Forgets the oldest notice (it was published).</summary>
        public void RemoveHead()
        {
            if (_count == 0)
            {
                return;
            }

            _slots[_head].Clear();
            _head = (_head + 1) % _slots.Length;
            _count--;
        }

        private void DropOne()
        {
            int victim = 0;
            while (victim < _count && IsKept(_slots[(_head + victim) % _slots.Length].Kind))
            {
                victim++;
            }

            if (victim == _count)
            {
                victim = 0;
                DroppedAcks++;
            }
            else
            {
                DroppedEvents++;
            }

            // Close the gap by moving the slot objects, not their contents: the freed one goes to the tail.
            ControlEvent freed = _slots[(_head + victim) % _slots.Length];
            for (int i = victim; i < _count - 1; i++)
            {
                _slots[(_head + i) % _slots.Length] = _slots[(_head + i + 1) % _slots.Length];
            }

            _slots[(_head + _count - 1) % _slots.Length] = freed;
            freed.Clear();
            _count--;
        }

        // What the aggregator settles on: an order's verdict and end, a session's totals.
        private static bool IsKept(int kind)
        {
            return kind == OutboundKind.DispatchAck || kind == OutboundKind.SessionEnded;
        }
    }
}
