using ChargerFirmware.Drivers.Modbus;
using ChargerFirmware.VirtualHardware;

namespace ChargerFirmware.Tests.Modbus;

/// <summary>A port whose answers a test scripts: bytes become readable at set times.</summary>
internal sealed class ScriptedPort(ManualClock clock) : IModbusPort
{
    private readonly Queue<(byte Value, long AtMicros)> _pending = new();

    public List<byte[]> Written { get; } = [];

    /// <summary>Given each request written, the bytes to answer (null: silence).</summary>
    public Func<byte[], byte[]?>? Responder { get; set; }

    public int ResponseDelayMs { get; set; } = 4;

    /// <summary>Arrival spacing of answer bytes (573 µs is one character at 19200 baud).</summary>
    public int MicrosPerByte { get; set; } = 573;

    public void Write(byte[] buffer, int offset, int count)
    {
        byte[] frame = buffer[offset..(offset + count)];
        Written.Add(frame);
        byte[]? answer = Responder?.Invoke(frame);
        if (answer is not null)
        {
            Schedule(answer, clock.MonotonicMs + ResponseDelayMs);
        }
    }

    /// <summary>One-shot: the next answer pauses for <see cref="PauseMs"/> after this many bytes (0: no pause).</summary>
    public int PauseAfterBytes { get; set; }

    public int PauseMs { get; set; }

    public void Schedule(byte[] bytes, long startMs)
    {
        long at = startMs * 1000;
        for (int i = 0; i < bytes.Length; i++)
        {
            if (i > 0 && i == PauseAfterBytes)
            {
                at += PauseMs * 1000L;
            }

            at += MicrosPerByte;
            _pending.Enqueue((bytes[i], at));
        }

        PauseAfterBytes = 0;
    }

    public int Read(byte[] buffer, int offset, int count)
    {
        int read = 0;
        long now = clock.MonotonicMs * 1000;
        while (read < count && _pending.Count > 0 && _pending.Peek().AtMicros <= now)
        {
            buffer[offset + read++] = _pending.Dequeue().Value;
        }

        return read;
    }

    /// <summary>A valid read response to <paramref name="request"/> with registers 1, 2, 3...</summary>
    public static byte[] ReadAnswer(byte[] request)
    {
        int count = ModbusRtu.Word(request, 4);
        var frame = new byte[5 + (2 * count)];
        frame[0] = request[0];
        frame[1] = request[1];
        frame[2] = (byte)(2 * count);
        for (int i = 0; i < count; i++)
        {
            frame[4 + (2 * i)] = (byte)(i + 1);
        }

        ModbusCrc16.Append(frame, 3 + (2 * count));
        return frame;
    }

    /// <summary>The echo a slave sends for a write request.</summary>
    public static byte[] WriteAnswer(byte[] request)
    {
        var frame = new byte[8];
        Array.Copy(request, frame, 6);
        ModbusCrc16.Append(frame, 6);
        return frame;
    }

    public static byte[] ExceptionAnswer(byte[] request, int code)
    {
        var frame = new byte[5];
        frame[0] = request[0];
        frame[1] = (byte)(request[1] | 0x80);
        frame[2] = (byte)code;
        ModbusCrc16.Append(frame, 3);
        return frame;
    }
}
