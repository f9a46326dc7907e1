using ChargerFirmware.Drivers.Modbus;

namespace ChargerFirmware.Drivers.SunSpec
{
    /// <summary>
    /// Finds a device's SunSpec map without blocking: probes the "SunS" marker at 40000, then 0,
    /// then 50000, and walks the model headers (ID, L) until the end marker, recording where each
    /// model starts. Its owner alternates <see cref="Prepare"/> (sets up the next read on the
    /// owner's transaction) and <see cref="Accept"/> (takes the finished transaction) until
    /// <see cref="Result"/> is no longer <see cref="Searching"/>.
    /// </summary>
    public sealed class SunSpecDiscovery
    {
        /// <summary>Discovery is under way.</summary>
        public const int Searching = 0;

        /// <summary>A map was found and walked to its end.</summary>
        public const int Found = 1;

        /// <summary>The device answered but has no usable SunSpec map.</summary>
        public const int NotFound = 2;

        /// <summary>The device did not answer.</summary>
        public const int NoAnswer = 3;

        /// <summary>Most models recorded; a longer map is still walked to its end.</summary>
        public const int MaxModels = 32;

        private const int MaxWalk = 256;

        private readonly int[] _ids = new int[MaxModels];
        private readonly int[] _addresses = new int[MaxModels];
        private readonly int[] _lengths = new int[MaxModels];
        private int _baseIndex;
        private bool _walking;
        private bool _silentProbe;
        private int _walkAddress;
        private int _walked;

        /// <summary>See the result constants.</summary>
        public int Result { get; private set; }

        /// <summary>The base address where the marker was found, or -1.</summary>
        public int BaseAddress { get; private set; } = -1;

        /// <summary>Models recorded.</summary>
        public int ModelCount { get; private set; }

        /// <summary>Starts over.</summary>
        public void Restart()
        {
            Result = Searching;
            BaseAddress = -1;
            ModelCount = 0;
            _baseIndex = 0;
            _walking = false;
            _silentProbe = false;
            _walked = 0;
        }

        /// <summary>Sets up the next read on <paramref name="transaction"/> for unit <paramref name="unit"/>.</summary>
        public void Prepare(ModbusTransaction transaction, int unit)
        {
            if (_walking)
            {
                transaction.ReadHoldingRegisters(unit, _walkAddress, SunSpecMap.HeaderLength);
            }
            else
            {
                transaction.ReadHoldingRegisters(unit, SunSpecMap.BaseAddresses[_baseIndex], SunSpecMap.MarkerLength);
            }
        }

        /// <summary>Takes the outcome of the read <see cref="Prepare"/> set up.</summary>
        public void Accept(ModbusTransaction transaction)
        {
            if (!_walking)
            {
                AcceptMarker(transaction);
            }
            else if (transaction.Status != ModbusStatus.Done)
            {
                Result = transaction.Answered ? NotFound : NoAnswer;
            }
            else
            {
                AcceptHeader(transaction.Registers[0], transaction.Registers[1]);
            }
        }

        /// <summary>The address of model <paramref name="id"/>'s ID register, or -1 when the map lacks it.</summary>
        public int AddressOf(int id)
        {
            int index = IndexOf(id);
            return index < 0 ? -1 : _addresses[index];
        }

        /// <summary>The L of model <paramref name="id"/> (registers after its header), or -1 when the map lacks it.</summary>
        public int LengthOf(int id)
        {
            int index = IndexOf(id);
            return index < 0 ? -1 : _lengths[index];
        }

        /// <summary>The ID of the <paramref name="index"/>-th model recorded.</summary>
        public int IdAt(int index)
        {
            return _ids[index];
        }

        private void AcceptMarker(ModbusTransaction transaction)
        {
            if (transaction.Status == ModbusStatus.Done
                && transaction.Registers[0] == SunSpecMap.MarkerHigh && transaction.Registers[1] == SunSpecMap.MarkerLow)
            {
                BaseAddress = SunSpecMap.BaseAddresses[_baseIndex];
                _walkAddress = BaseAddress + SunSpecMap.MarkerLength;
                _walking = true;
                return;
            }

            _silentProbe |= !transaction.Answered;
            _baseIndex++;
            if (_baseIndex == SunSpecMap.BaseAddresses.Length)
            {
                // Only a device that answered at every base has shown it has no map.
                Result = _silentProbe ? NoAnswer : NotFound;
            }
        }

        private void AcceptHeader(int id, int length)
        {
            if (id == SunSpecMap.EndId)
            {
                Result = Found;
                return;
            }

            if (ModelCount < MaxModels && IndexOf(id) < 0)
            {
                _ids[ModelCount] = id;
                _addresses[ModelCount] = _walkAddress;
                _lengths[ModelCount] = length;
                ModelCount++;
            }

            _walkAddress += SunSpecMap.HeaderLength + length;
            _walked++;
            if (_walked > MaxWalk || _walkAddress + SunSpecMap.HeaderLength > 0x10000)
            {
                Result = NotFound;
            }
        }

        private int IndexOf(int id)
        {
            for (int i = 0; i < ModelCount; i++)
            {
                if (_ids[i] == id)
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
