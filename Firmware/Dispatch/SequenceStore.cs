using ChargerFirmware.Drivers.Storage;
using ChargerFirmware.Persistence;

namespace ChargerFirmware.Dispatch
{
    /// <summary>
    /// The replay guard's memory: the highest dispatch sequence number seen, kept in two copies
    /// (<see cref="MirroredFile"/>) so one damaged copy loses nothing. When no good copy is left
    /// (deleted, damaged, unreadable) the charger cannot know which orders it already saw, so it fails
    /// closed: every order issued at or before the moment the loss was found is refused
    /// (<see cref="FloorUtcMs"/>, set from the first synchronised wall time after boot and kept with
    /// the mark), so a captured order can never be replayed. Only on a fresh flash (the caller knows:
    /// nothing else of the charger is there) are missing copies a first start; the copies are written
    /// then, so that later their absence is a loss. Never throws; failures are reported to
    /// <see cref="StorageHealth"/> and <see cref="Raise"/> says whether the mark is on flash.
    /// </summary>
    public sealed class SequenceStore
    {
        /// <summary>Base name of the two copies ("dispatch.seq.a", "dispatch.seq.b").</summary>
        public const string FileName = "dispatch.seq";

        /// <summary>No floor: the mark alone guards.</summary>
        public const long NoFloor = long.MinValue;

        private const int FormatVersion = 2;
        private const int PayloadLength = 16;

        private readonly MirroredFile _file;
        private readonly StorageHealth _health;
        private readonly byte[] _payload = new byte[PayloadLength];
        private long _highestSeq;
        private long _floorUtcMs = NoFloor;
        private bool _floorPending;

        /// <summary>A store in <paramref name="storage"/> reporting to <paramref name="health"/>; call <see cref="Load"/> once at start.</summary>
        public SequenceStore(IStorage storage, StorageHealth health)
        {
            _file = new MirroredFile(storage, FileName, FormatVersion, health, StoredFile.DispatchSeq);
            _health = health;
        }

        /// <summary>Highest sequence number seen (across reboots while the copies last).</summary>
        public long HighestSeq
        {
            get { return _highestSeq; }
        }

        /// <summary>Orders issued at or before this UTC instant are refused (<see cref="NoFloor"/>: none).</summary>
        public long FloorUtcMs
        {
            get { return _floorUtcMs; }
        }

        /// <summary>True while the mark was lost and the wall clock has not been set yet to place the floor: every order is refused.</summary>
        public bool FloorPending
        {
            get { return _floorPending; }
        }

        /// <summary>True when the last write reached both copies.</summary>
        public bool Persisted { get; private set; } = true;

        /// <summary>What loading found (a <see cref="LoadResults"/> constant; missing copies on a used flash are <see cref="LoadResults.Lost"/>).</summary>
        public int LoadResult { get; private set; }

        /// <summary>
        /// Reads the copies; without a good one the floor waits for the wall clock
        /// (<see cref="PlaceFloor"/>), unless both are missing on a <paramref name="freshFlash"/> (first start).
        /// </summary>
        public void Load(bool freshFlash)
        {
            byte[]? data = _file.Load(PayloadLength);
            LoadResult = _file.LoadResult;
            if (data == null)
            {
                _highestSeq = 0;
                _floorUtcMs = NoFloor;
                _floorPending = !(freshFlash && LoadResult == LoadResults.Missing);
                if (!_floorPending)
                {
                    Persist();
                    return;
                }

                // Deleted copies on a charger that ran before: as lost as damaged ones.
                if (LoadResult == LoadResults.Missing)
                {
                    LoadResult = LoadResults.Lost;
                    _health.Loaded(StoredFile.DispatchSeq, LoadResult);
                }

                return;
            }

            _highestSeq = CheckedFile.ReadInt64(data, 0);
            _floorUtcMs = CheckedFile.ReadInt64(data, 8);
            _floorPending = false;
        }

        /// <summary>With the mark lost, places the floor at <paramref name="utcMs"/> (the wall time it is first known) and keeps it.</summary>
        public void PlaceFloor(long utcMs)
        {
            if (!_floorPending)
            {
                return;
            }

            _floorPending = false;
            _floorUtcMs = utcMs;
            Persist();
        }

        /// <summary>
        /// Raises the mark to <paramref name="seq"/> (no change when not above it) and writes it to both
        /// copies. The mark rises in RAM either way; false when it could not be kept on flash (then the
        /// order it came with must not run: after a restart it would not be known as seen).
        /// </summary>
        public bool Raise(long seq)
        {
            if (seq <= _highestSeq)
            {
                return true;
            }

            _highestSeq = seq;
            return Persist();
        }

        /// <summary>
        /// A technician's reset of the mark to 0. Replays stay refused: the floor is placed at the wall time
        /// of the next tick that knows it, as after a loss, so only orders issued after the reset are new.
        /// Returns the mark it had.
        /// </summary>
        public long Reset()
        {
            long before = _highestSeq;
            _highestSeq = 0;
            _floorPending = true;
            Persist();
            return before;
        }

        private bool Persist()
        {
            CheckedFile.WriteInt64(_payload, 0, _highestSeq);
            CheckedFile.WriteInt64(_payload, 8, _floorUtcMs);
            Persisted = _file.Write(_payload, PayloadLength);
            return Persisted;
        }
    }
}
