using System;
using ChargerFirmware.Drivers.Storage;

namespace ChargerFirmware.DeviceTests.Parts
{
    /// <summary>
    /// Flash in RAM: up to <see cref="MaxFiles"/> files (or fewer, as asked) in slots of <c>capacity</c> bytes, all
    /// allocated up front and kept when a file is deleted (a slot grows only when a file outgrows it),
    /// so creating, writing and deleting files allocates nothing: the heap and allocation figures
    /// taken around the firmware see the firmware's own objects only, as on a device whose flash is
    /// not in its heap.
    /// </summary>
    public sealed class RamStorage : IStorage
    {
        /// <summary>Most files held.</summary>
        public const int MaxFiles = 12;

        // "" marks a free slot: nanoCLR mishandles null elements of a string array (a comparison with
        // null can answer false, an equality test with a string can fault), so none is ever null.
        private readonly string[] _names;
        private readonly byte[][] _data;
        private readonly int[] _lengths;

        /// <summary>A store of <see cref="MaxFiles"/> file slots holding <paramref name="capacity"/> bytes each.</summary>
        public RamStorage(int capacity)
            : this(MaxFiles, capacity)
        {
        }

        /// <summary>A store of <paramref name="files"/> file slots holding <paramref name="capacity"/> bytes each.</summary>
        public RamStorage(int files, int capacity)
        {
            _names = new string[files];
            _data = new byte[files][];
            _lengths = new int[files];
            for (int i = 0; i < files; i++)
            {
                _names[i] = string.Empty;
                _data[i] = new byte[capacity];
            }
        }

        /// <summary>Writes (appends, atomic writes, truncations, deletions) since start.</summary>
        public int Writes;

        /// <inheritdoc />
        public bool Exists(string name)
        {
            return IndexOf(name) >= 0;
        }

        /// <inheritdoc />
        public int Length(string name)
        {
            int i = IndexOf(name);
            return i < 0 ? 0 : _lengths[i];
        }

        /// <inheritdoc />
        public int Read(string name, int position, byte[] buffer, int offset, int count)
        {
            int i = IndexOf(name);
            if (i < 0 || position >= _lengths[i])
            {
                return 0;
            }

            int n = _lengths[i] - position < count ? _lengths[i] - position : count;
            Array.Copy(_data[i], position, buffer, offset, n);
            return n;
        }

        /// <inheritdoc />
        public void Append(string name, byte[] buffer, int offset, int count)
        {
            int i = Open(name);
            Room(i, _lengths[i] + count);
            Array.Copy(buffer, offset, _data[i], _lengths[i], count);
            _lengths[i] += count;
            Writes++;
        }

        /// <inheritdoc />
        public void WriteAtomic(string name, byte[] buffer, int offset, int count)
        {
            int i = Open(name);
            Room(i, count);
            Array.Copy(buffer, offset, _data[i], 0, count);
            _lengths[i] = count;
            Writes++;
        }

        /// <inheritdoc />
        public void Truncate(string name, int length)
        {
            int i = IndexOf(name);
            if (i >= 0 && length < _lengths[i])
            {
                _lengths[i] = length;
            }

            Writes++;
        }

        /// <inheritdoc />
        public void Delete(string name)
        {
            int i = IndexOf(name);
            if (i >= 0)
            {
                _names[i] = string.Empty;
                _lengths[i] = 0;
            }

            Writes++;
        }

        private int IndexOf(string name)
        {
            for (int i = 0; i < _names.Length; i++)
            {
                if (_names[i] == name)
                {
                    return i;
                }
            }

            return -1;
        }

        private int Open(string name)
        {
            int i = IndexOf(name);
            if (i >= 0)
            {
                return i;
            }

            for (i = 0; i < _names.Length; i++)
            {
                if (_names[i].Length == 0)
                {
                    _names[i] = name;
                    _lengths[i] = 0;
                    return i;
                }
            }

            throw new InvalidOperationException("RAM storage full: no free file slot");
        }

        private void Room(int i, int needed)
        {
            byte[] data = _data[i];
            if (needed <= data.Length)
            {
                return;
            }

            int size = data.Length * 2 > needed ? data.Length * 2 : needed;
            byte[] grown = new byte[size];
            Array.Copy(data, grown, _lengths[i]);
            _data[i] = grown;
        }
    }
}
