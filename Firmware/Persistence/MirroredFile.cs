using ChargerFirmware.Drivers.Storage;

namespace ChargerFirmware.Persistence
{
    /// <summary>
    /// A small record kept twice ("&lt;name&gt;.a" and "&lt;name&gt;.b"), each copy a
    /// <see cref="CheckedFile"/> whose payload starts with a 32-bit generation. Every
    /// <see cref="Write"/> writes the next generation to both copies, one after the other, each
    /// atomically, so a power cut or a damaged copy always leaves one good copy of the newest value
    /// that a write reported done. <see cref="Load"/> takes the newest valid copy and writes the other
    /// again when it was bad. Never throws: failures go to <see cref="StorageHealth"/> and the result.
    /// </summary>
    public sealed class MirroredFile
    {
        private const int GenerationBytes = 4;

        private readonly CheckedFile _a;
        private readonly CheckedFile _b;
        private readonly int _version;
        private readonly StorageHealth _health;
        private readonly int _file;
        private uint _generation;

        // One write's frame (header, generation, payload), kept: the ledger reserves ids with the control loop
        // waiting on the journal, and an allocation there would be one per reservation.
        private byte[] _frame = new byte[0];

        /// <summary>Copies of <paramref name="name"/> in <paramref name="storage"/>, format <paramref name="version"/>, reported as <paramref name="file"/> (a <see cref="StoredFile"/>).</summary>
        public MirroredFile(IStorage storage, string name, int version, StorageHealth health, int file)
        {
            _a = new CheckedFile(storage, name + ".a");
            _b = new CheckedFile(storage, name + ".b");
            _version = version;
            _health = health;
            _file = file;
        }

        /// <summary>What the last <see cref="Load"/> found (a <see cref="LoadResults"/> constant): valid, missing (no copy), repaired (one bad copy), lost (no good copy left), read-failed.</summary>
        public int LoadResult { get; private set; }

        /// <summary>
        /// The newest valid payload of <paramref name="length"/> bytes, or null (see <see cref="LoadResult"/>).
        /// A bad copy beside a good one is written again from the good one. Reports to the health.
        /// </summary>
        public byte[]? Load(int length)
        {
            int statusA;
            int statusB;
            byte[]? a = ReadCopy(_a, length, out statusA);
            byte[]? b = ReadCopy(_b, length, out statusB);
            if (statusA == LoadResults.ReadFailed || statusB == LoadResults.ReadFailed)
            {
                return Done(LoadResults.ReadFailed, a != null ? a : b, length);
            }

            if (a == null && b == null)
            {
                return Done(statusA == LoadResults.Missing && statusB == LoadResults.Missing ? LoadResults.Missing : LoadResults.Lost, null, length);
            }

            byte[] newest = a == null ? b! : (b == null ? a : (Generation(b) > Generation(a) ? b : a));
            if (a == null || b == null)
            {
                _generation = Generation(newest);
                Repair(a == null ? _a : _b, newest);
                return Done(LoadResults.Repaired, newest, length);
            }

            return Done(LoadResults.Valid, newest, length);
        }

        /// <summary>Writes <paramref name="count"/> bytes of <paramref name="data"/> as the next generation to both copies; true only when both took it.</summary>
        public bool Write(byte[] data, int count)
        {
            int length = GenerationBytes + count;
            if (_frame.Length < CheckedFile.HeaderLength + length)
            {
                _frame = new byte[CheckedFile.HeaderLength + length];
            }

            uint generation = _generation + 1;
            CheckedFile.WriteUInt32(_frame, CheckedFile.HeaderLength, generation);
            System.Array.Copy(data, 0, _frame, CheckedFile.HeaderLength + GenerationBytes, count);
            bool written = TryWriteFrame(_a, length) & TryWriteFrame(_b, length);
            _generation = generation;
            if (written)
            {
                _health.WriteSucceeded(_file);
            }
            else
            {
                _health.WriteFailed(_file);
            }

            return written;
        }

        private byte[]? Done(int result, byte[]? payload, int length)
        {
            LoadResult = result;
            _health.Loaded(_file, result);
            if (payload == null)
            {
                return null;
            }

            _generation = Generation(payload);
            byte[] data = new byte[length];
            System.Array.Copy(payload, GenerationBytes, data, 0, length);
            return data;
        }

        private void Repair(CheckedFile copy, byte[] payload)
        {
            if (TryWrite(copy, payload))
            {
                _health.WriteSucceeded(_file);
            }
            else
            {
                _health.WriteFailed(_file);
            }
        }

        private bool TryWriteFrame(CheckedFile copy, int length)
        {
            try
            {
                copy.WriteFrame(_version, _frame, length);
                return true;
            }
            catch (System.Exception)
            {
                return false;
            }
        }

        private bool TryWrite(CheckedFile copy, byte[] payload)
        {
            try
            {
                copy.Write(_version, payload, payload.Length);
                return true;
            }
            catch (System.Exception)
            {
                return false;
            }
        }

        // One copy's payload when intact, of this version and of the expected length; else null with why.
        private byte[]? ReadCopy(CheckedFile copy, int length, out int status)
        {
            byte[]? payload;
            try
            {
                payload = copy.Read(_version);
            }
            catch (System.Exception)
            {
                status = LoadResults.ReadFailed;
                return null;
            }

            if (payload == null)
            {
                status = copy.LastStatus == CheckedFileStatus.Missing ? LoadResults.Missing : LoadResults.Corrupt;
                return null;
            }

            if (payload.Length != GenerationBytes + length)
            {
                status = LoadResults.Invalid;
                return null;
            }

            status = LoadResults.Valid;
            return payload;
        }

        private static uint Generation(byte[] payload)
        {
            return CheckedFile.ReadUInt32(payload, 0);
        }
    }
}
