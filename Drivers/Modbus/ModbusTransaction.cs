using System;

namespace ChargerFirmware.Drivers.Modbus
{
    /// <summary>
    /// One request and its outcome, owned by one driver and reused for every request it makes:
    /// set it up, hand it to <see cref="ModbusMaster.Begin"/>, and look at <see cref="Status"/> on
    /// later ticks. Nothing is allocated after construction.
    /// </summary>
    public sealed class ModbusTransaction
    {
        /// <summary>Register values: read into after a read, taken from for a write-multiple.</summary>
        public readonly ushort[] Registers;

        /// <summary>Creates a transaction able to carry <paramref name="capacity"/> registers.</summary>
        public ModbusTransaction(int capacity)
        {
            if (capacity < 1 || capacity > ModbusRtu.MaxReadCount)
            {
                throw new ArgumentOutOfRangeException(nameof(capacity));
            }

            Registers = new ushort[capacity];
        }

        /// <summary>Unit (slave) address, 1..247.</summary>
        public int Unit { get; private set; }

        /// <summary>Function code, see <see cref="ModbusFunction"/>.</summary>
        public int Function { get; private set; }

        /// <summary>First register address (0-based on the wire).</summary>
        public int Address { get; private set; }

        /// <summary>Registers read or written; for a write-single, 1.</summary>
        public int Count { get; private set; }

        /// <summary>The value of a write-single.</summary>
        public int Value { get; private set; }

        /// <summary>See <see cref="ModbusStatus"/>.</summary>
        public int Status { get; internal set; }

        /// <summary>See <see cref="ModbusError"/>; set when <see cref="Status"/> is Timeout or Error.</summary>
        public int Error { get; internal set; }

        /// <summary>The slave's exception code when <see cref="Error"/> is <see cref="ModbusError.Exception"/>.</summary>
        public int ExceptionCode { get; internal set; }

        /// <summary>Attempts made for the current request (1 plus retries).</summary>
        public int Attempts { get; internal set; }

        /// <summary>
        /// True to make one attempt only, whatever the bus's retries: a driver probing a device
        /// that stopped answering sets it, so a dead device costs the shared bus one timeout.
        /// </summary>
        public bool NoRetry { get; set; }

        /// <summary>Monotonic ms when the request was last sent.</summary>
        public long SentAtMs { get; internal set; }

        /// <summary>True while queued or waiting for its response.</summary>
        public bool IsBusy
        {
            get { return Status == ModbusStatus.Queued || Status == ModbusStatus.Pending; }
        }

        /// <summary>True when finished (done, timed out or failed) and not yet cleared.</summary>
        public bool IsFinished
        {
            get { return Status >= ModbusStatus.Done; }
        }

        /// <summary>True when the slave answered, even if with an exception: the line and the device work.</summary>
        public bool Answered
        {
            get { return Status == ModbusStatus.Done || (Status == ModbusStatus.Error && Error == ModbusError.Exception); }
        }

        /// <summary>Sets up a read of <paramref name="count"/> holding registers from <paramref name="address"/>.</summary>
        public void ReadHoldingRegisters(int unit, int address, int count)
        {
            Set(unit, ModbusFunction.ReadHoldingRegisters, address, count, 0);
        }

        /// <summary>Sets up a write of one register.</summary>
        public void WriteSingleRegister(int unit, int address, int value)
        {
            Set(unit, ModbusFunction.WriteSingleRegister, address, 1, value & 0xFFFF);
        }

        /// <summary>Sets up a write of the first <paramref name="count"/> values of <see cref="Registers"/>.</summary>
        public void WriteMultipleRegisters(int unit, int address, int count)
        {
            Set(unit, ModbusFunction.WriteMultipleRegisters, address, count, 0);
        }

        /// <summary>Forgets a finished outcome (back to <see cref="ModbusStatus.Idle"/>).</summary>
        public void Clear()
        {
            if (IsBusy)
            {
                throw new InvalidOperationException("transaction in progress");
            }

            Status = ModbusStatus.Idle;
        }

        private void Set(int unit, int function, int address, int count, int value)
        {
            if (IsBusy)
            {
                throw new InvalidOperationException("transaction in progress");
            }

            int max = function == ModbusFunction.WriteMultipleRegisters ? ModbusRtu.MaxWriteCount : ModbusRtu.MaxReadCount;
            if (unit < 1 || unit > 247 || address < 0 || address > 0xFFFF || count < 1 || count > max
                || count > Registers.Length || address + count > 0x10000)
            {
                throw new ArgumentOutOfRangeException(nameof(address));
            }

            Unit = unit;
            Function = function;
            Address = address;
            Count = count;
            Value = value;
            Status = ModbusStatus.Idle;
            Error = ModbusError.None;
            ExceptionCode = 0;
            Attempts = 0;
        }
    }
}
