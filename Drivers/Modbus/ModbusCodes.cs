namespace ChargerFirmware.Drivers.Modbus
{
    /// <summary>Modbus function codes this master uses.</summary>
    public static class ModbusFunction
    {
        /// <summary>Read holding registers (3).</summary>
        public const int ReadHoldingRegisters = 3;

        /// <summary>Write single register (6).</summary>
        public const int WriteSingleRegister = 6;

        /// <summary>Write multiple registers (16).</summary>
        public const int WriteMultipleRegisters = 16;

        /// <summary>Set in the function byte of an exception response.</summary>
        public const int ExceptionFlag = 0x80;
    }

    /// <summary>Codes a slave returns in an exception response.</summary>
    public static class ModbusExceptionCode
    {
        /// <summary>The function is not supported.</summary>
        public const int IllegalFunction = 1;

        /// <summary>The register range is not (wholly) mapped or not writable.</summary>
        public const int IllegalDataAddress = 2;

        /// <summary>A value or a count is out of range.</summary>
        public const int IllegalDataValue = 3;

        /// <summary>The slave failed while executing the request.</summary>
        public const int ServerDeviceFailure = 4;

        /// <summary>The slave is busy; the request may be repeated later.</summary>
        public const int ServerDeviceBusy = 6;
    }

    /// <summary>States of a <see cref="ModbusTransaction"/>.</summary>
    public static class ModbusStatus
    {
        /// <summary>Not submitted, or its result was taken.</summary>
        public const int Idle = 0;

        /// <summary>Waiting for the bus.</summary>
        public const int Queued = 1;

        /// <summary>Request sent, waiting for the response (retries included).</summary>
        public const int Pending = 2;

        /// <summary>A valid response arrived; read registers are in <see cref="ModbusTransaction.Registers"/>.</summary>
        public const int Done = 3;

        /// <summary>No answer to the request (late answers discarded) within the response timeout on any attempt.</summary>
        public const int Timeout = 4;

        /// <summary>The last attempt failed; see <see cref="ModbusTransaction.Error"/>.</summary>
        public const int Error = 5;

        /// <summary>A readable name for logs (never Enum.ToString on the device).</summary>
        public static string Name(int status)
        {
            switch (status)
            {
                case Idle: return "idle";
                case Queued: return "queued";
                case Pending: return "pending";
                case Done: return "done";
                case Timeout: return "timeout";
                case Error: return "error";
                default: return "unknown";
            }
        }
    }

    /// <summary>Why a response was rejected (<see cref="ModbusTransaction.Error"/>).</summary>
    public static class ModbusError
    {
        /// <summary>No error.</summary>
        public const int None = 0;

        /// <summary>Nothing came back.</summary>
        public const int NoResponse = 1;

        /// <summary>The frame stopped before its expected length.</summary>
        public const int ShortFrame = 2;

        /// <summary>More bytes came than the frame can hold.</summary>
        public const int LongFrame = 3;

        /// <summary>The CRC does not match.</summary>
        public const int BadCrc = 4;

        /// <summary>The response came from another unit address.</summary>
        public const int WrongAddress = 5;

        /// <summary>The response answers another function.</summary>
        public const int WrongFunction = 6;

        /// <summary>The slave answered with an exception; see <see cref="ModbusTransaction.ExceptionCode"/>.</summary>
        public const int Exception = 7;

        /// <summary>The byte count of a read response is not twice the registers asked for.</summary>
        public const int BadByteCount = 8;

        /// <summary>A write response does not echo the address, value or count written.</summary>
        public const int BadEcho = 9;

        /// <summary>The serial port threw on the write or a read (unplugged adapter, closed port).</summary>
        public const int PortFailure = 10;

        /// <summary>A readable name for logs.</summary>
        public static string Name(int error)
        {
            switch (error)
            {
                case None: return "none";
                case NoResponse: return "no response";
                case ShortFrame: return "short frame";
                case LongFrame: return "long frame";
                case BadCrc: return "bad CRC";
                case WrongAddress: return "wrong address";
                case WrongFunction: return "wrong function";
                case Exception: return "exception response";
                case BadByteCount: return "bad byte count";
                case BadEcho: return "bad echo";
                case PortFailure: return "port failure";
                default: return "unknown";
            }
        }
    }
}
