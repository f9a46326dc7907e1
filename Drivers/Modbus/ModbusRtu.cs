namespace ChargerFirmware.Drivers.Modbus
{
    /// <summary>
    /// Modbus RTU frames: building requests for functions 3, 6 and 16 and checking the responses
    /// against the request they answer. Frames are address, function, data, CRC (low byte first).
    /// </summary>
    public static class ModbusRtu
    {
        /// <summary>Largest RTU frame (address + 253 bytes of PDU + CRC).</summary>
        public const int MaxFrameLength = 256;

        /// <summary>Most registers one read may ask for.</summary>
        public const int MaxReadCount = 125;

        /// <summary>Most registers one write-multiple may carry.</summary>
        public const int MaxWriteCount = 123;

        /// <summary>Length of an exception response and the shortest valid response.</summary>
        public const int ExceptionResponseLength = 5;

        /// <summary>Length of a write response (it echoes address and value or count).</summary>
        public const int WriteResponseLength = 8;

        /// <summary>Builds a read-holding-registers request; returns its length.</summary>
        public static int BuildReadHoldingRegisters(byte[] frame, int unit, int address, int count)
        {
            return BuildFixed(frame, unit, ModbusFunction.ReadHoldingRegisters, address, count);
        }

        /// <summary>Builds a write-single-register request; returns its length.</summary>
        public static int BuildWriteSingleRegister(byte[] frame, int unit, int address, int value)
        {
            return BuildFixed(frame, unit, ModbusFunction.WriteSingleRegister, address, value);
        }

        /// <summary>Builds a write-multiple-registers request from the first <paramref name="count"/> values; returns its length.</summary>
        public static int BuildWriteMultipleRegisters(byte[] frame, int unit, int address, ushort[] values, int count)
        {
            PutHeader(frame, unit, ModbusFunction.WriteMultipleRegisters, address, count);
            frame[6] = (byte)(count * 2);
            int at = 7;
            for (int i = 0; i < count; i++)
            {
                frame[at++] = (byte)(values[i] >> 8);
                frame[at++] = (byte)values[i];
            }

            return ModbusCrc16.Append(frame, at);
        }

        /// <summary>The length of a valid, non-exception response to <paramref name="request"/>.</summary>
        public static int NormalResponseLength(byte[] request)
        {
            if (request[1] == ModbusFunction.ReadHoldingRegisters)
            {
                return ExceptionResponseLength + (2 * Word(request, 4));
            }

            return WriteResponseLength;
        }

        /// <summary>
        /// The length the response being received will have, judged from its first bytes; 0 while
        /// that is not known yet, -1 when the function byte answers another function (the length
        /// cannot be known: the frame ends with the line going quiet).
        /// </summary>
        public static int ExpectedResponseLength(byte[] request, byte[] response, int received)
        {
            if (received < 2)
            {
                return 0;
            }

            int function = response[1];
            if (function == (request[1] | ModbusFunction.ExceptionFlag))
            {
                return ExceptionResponseLength;
            }

            if (function != request[1])
            {
                return -1;
            }

            if (function != ModbusFunction.ReadHoldingRegisters)
            {
                return WriteResponseLength;
            }

            return received < 3 ? 0 : ExceptionResponseLength + response[2];
        }

        /// <summary>
        /// Checks a complete response of <paramref name="length"/> bytes against the request it
        /// answers; returns a <see cref="ModbusError"/> code (<see cref="ModbusError.Exception"/>
        /// for a well-formed exception response, whose code is byte 2).
        /// </summary>
        public static int CheckResponse(byte[] request, byte[] response, int length)
        {
            if (length < ExceptionResponseLength)
            {
                return length == 0 ? ModbusError.NoResponse : ModbusError.ShortFrame;
            }

            if (!ModbusCrc16.Check(response, length))
            {
                return ModbusError.BadCrc;
            }

            if (response[0] != request[0])
            {
                return ModbusError.WrongAddress;
            }

            int function = request[1];
            if (response[1] == (function | ModbusFunction.ExceptionFlag))
            {
                return length == ExceptionResponseLength ? ModbusError.Exception : ModbusError.LongFrame;
            }

            if (response[1] != function)
            {
                return ModbusError.WrongFunction;
            }

            if (function == ModbusFunction.ReadHoldingRegisters && response[2] != 2 * Word(request, 4))
            {
                return ModbusError.BadByteCount;
            }

            int expected = NormalResponseLength(request);
            if (length != expected)
            {
                return length < expected ? ModbusError.ShortFrame : ModbusError.LongFrame;
            }

            if (function != ModbusFunction.ReadHoldingRegisters)
            {
                for (int i = 2; i < 6; i++)
                {
                    if (response[i] != request[i])
                    {
                        return ModbusError.BadEcho;
                    }
                }
            }

            return ModbusError.None;
        }

        /// <summary>Copies the register values of a checked read response into <paramref name="registers"/>.</summary>
        public static void CopyRegisters(byte[] response, ushort[] registers, int count)
        {
            int at = 3;
            for (int i = 0; i < count; i++)
            {
                registers[i] = (ushort)((response[at] << 8) | response[at + 1]);
                at += 2;
            }
        }

        /// <summary>The big-endian 16-bit word at <paramref name="offset"/> of a frame.</summary>
        public static int Word(byte[] frame, int offset)
        {
            return (frame[offset] << 8) | frame[offset + 1];
        }

        private static int BuildFixed(byte[] frame, int unit, int function, int address, int value)
        {
            PutHeader(frame, unit, function, address, value);
            return ModbusCrc16.Append(frame, 6);
        }

        private static void PutHeader(byte[] frame, int unit, int function, int address, int value)
        {
            frame[0] = (byte)unit;
            frame[1] = (byte)function;
            frame[2] = (byte)(address >> 8);
            frame[3] = (byte)address;
            frame[4] = (byte)(value >> 8);
            frame[5] = (byte)value;
        }
    }
}
