using System;

namespace ChargerFirmware.Drivers.Panel
{
    /// <summary>
    /// Where the screen model's buttons are, as rectangles of text cells, and which one a cell belongs
    /// to. Fixed capacity, no allocation after construction.
    /// </summary>
    public sealed class ButtonLayout
    {
        /// <summary>No button (a cell outside every button, or nothing tapped).</summary>
        public const int NoButton = -1;

        private readonly int[] _ids;
        private readonly int[] _firstRows;
        private readonly int[] _lastRows;
        private readonly int[] _firstColumns;
        private readonly int[] _lastColumns;
        private int _count;
        private int _version;

        /// <summary>A layout for at most <paramref name="capacity"/> buttons.</summary>
        public ButtonLayout(int capacity)
        {
            if (capacity < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(capacity));
            }

            _ids = new int[capacity];
            _firstRows = new int[capacity];
            _lastRows = new int[capacity];
            _firstColumns = new int[capacity];
            _lastColumns = new int[capacity];
        }

        /// <summary>Buttons defined.</summary>
        public int Count
        {
            get { return _count; }
        }

        /// <summary>Changes on every <see cref="Clear"/> and <see cref="Add"/>, so a panel knows to redraw.</summary>
        public int Version
        {
            get { return _version; }
        }

        /// <summary>Removes every button.</summary>
        public void Clear()
        {
            _count = 0;
            _version++;
        }

        /// <summary>
        /// Adds button <paramref name="id"/> covering <paramref name="rowCount"/> rows from
        /// <paramref name="firstRow"/> and <paramref name="columnCount"/> columns from
        /// <paramref name="firstColumn"/>. Where buttons overlap, the one added first wins.
        /// </summary>
        public void Add(int id, int firstRow, int rowCount, int firstColumn, int columnCount)
        {
            if (id == NoButton)
            {
                throw new ArgumentOutOfRangeException(nameof(id));
            }

            if (firstRow < 0 || rowCount < 1 || firstColumn < 0 || columnCount < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(rowCount));
            }

            if (_count == _ids.Length)
            {
                throw new InvalidOperationException("button layout is full");
            }

            _ids[_count] = id;
            _firstRows[_count] = firstRow;
            _lastRows[_count] = firstRow + rowCount - 1;
            _firstColumns[_count] = firstColumn;
            _lastColumns[_count] = firstColumn + columnCount - 1;
            _count++;
            _version++;
        }

        /// <summary>The id of the button covering cell (<paramref name="row"/>, <paramref name="column"/>), or <see cref="NoButton"/>.</summary>
        public int HitTest(int row, int column)
        {
            for (int i = 0; i < _count; i++)
            {
                if (row >= _firstRows[i] && row <= _lastRows[i] && column >= _firstColumns[i] && column <= _lastColumns[i])
                {
                    return _ids[i];
                }
            }

            return NoButton;
        }
    }
}
