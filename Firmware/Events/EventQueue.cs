using System.Threading;

namespace ChargerFirmware.Events
{
    /// <summary>
    /// A bounded, thread-safe ring of <see cref="ControlEvent"/> slots, allocated once. Other threads
    /// post (copying into a slot); one thread takes. A full queue refuses the event and counts it
    /// rather than growing: a flood of messages must not exhaust a 100 KB heap.
    /// </summary>
    public sealed class EventQueue
    {
        private readonly ControlEvent[] _slots;
        private readonly object _gate = new object();
        private readonly AutoResetEvent _posted = new AutoResetEvent(false);
        private int _head;
        private int _count;
        private int _dropped;

        /// <summary>A queue with room for <paramref name="capacity"/> events.</summary>
        public EventQueue(int capacity)
        {
            _slots = new ControlEvent[capacity];
            for (int i = 0; i < capacity; i++)
            {
                _slots[i] = new ControlEvent();
            }
        }

        /// <summary>Events refused because the queue was full, since start.</summary>
        public int Dropped
        {
            get { return _dropped; }
        }

        /// <summary>Events waiting.</summary>
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

        /// <summary>Posts a copy of <paramref name="e"/>; false (and counted) when the queue is full.</summary>
        public bool Post(ControlEvent e)
        {
            lock (_gate)
            {
                if (_count == _slots.Length)
                {
                    _dropped++;
                    return false;
                }

                _slots[(_head + _count) % _slots.Length].CopyFrom(e);
                _count++;
            }

            _posted.Set();
            return true;
        }

        /// <summary>Posts an event made of the given fields; false when the queue is full.</summary>
        public bool Post(int kind, int int1, long long1, string? text1, object? payload)
        {
            lock (_gate)
            {
                if (_count == _slots.Length)
                {
                    _dropped++;
                    return false;
                }

                ControlEvent slot = _slots[(_head + _count) % _slots.Length];
                slot.Kind = kind;
                slot.Int1 = int1;
                slot.Int2 = 0;
                slot.Long1 = long1;
                slot.Text1 = text1;
                slot.Text2 = null;
                slot.Payload = payload;
                _count++;
            }

            _posted.Set();
            return true;
        }

        /// <summary>
        /// Waits up to <paramref name="timeoutMs"/> for a post (for the one thread that takes from
        /// this queue); true when something was posted since the last wait.
        /// </summary>
        public bool WaitForPost(int timeoutMs)
        {
            return _posted.WaitOne(timeoutMs, false);
        }

        /// <summary>Ends a <see cref="WaitForPost"/> without posting (a worker stopping).</summary>
        public void Wake()
        {
            _posted.Set();
        }

        /// <summary>Moves the oldest event into <paramref name="into"/>; false when empty.</summary>
        public bool TryTake(ControlEvent into)
        {
            lock (_gate)
            {
                if (_count == 0)
                {
                    return false;
                }

                ControlEvent slot = _slots[_head];
                into.CopyFrom(slot);
                slot.Clear();
                _head = (_head + 1) % _slots.Length;
                _count--;
                return true;
            }
        }
    }
}
