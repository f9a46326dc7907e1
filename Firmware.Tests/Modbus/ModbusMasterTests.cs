using ChargerFirmware.Drivers.Modbus;
using ChargerFirmware.VirtualHardware;
using Xunit;

namespace ChargerFirmware.Tests.Modbus;

public class ModbusMasterTests
{
    private const int TimeoutMs = 100;

    private readonly ManualClock _clock = new();
    private readonly ScriptedPort _port;

    public ModbusMasterTests() => _port = new ScriptedPort(_clock);

    private ModbusMaster Master(int retries = 0, int baud = 19200, int gapMs = 0) =>
        new(_port, baud, new ModbusTiming { ResponseTimeoutMs = TimeoutMs, Retries = retries, InterFrameGapMs = gapMs });

    /// <summary>Polls every ms until the transaction finishes; returns the ms it took.</summary>
    private long RunUntilFinished(ModbusMaster master, ModbusTransaction t, int limitMs = 5_000)
    {
        long start = _clock.MonotonicMs;
        master.Poll(_clock.MonotonicMs);
        while (!t.IsFinished)
        {
            Assert.True(_clock.MonotonicMs - start < limitMs, "transaction never finished");
            _clock.Advance(1);
            master.Poll(_clock.MonotonicMs);
        }

        return _clock.MonotonicMs - start;
    }

    /// <summary>Answers each request with <paramref name="answer"/>; the list fills with the times requests were sent.</summary>
    private List<long> RecordSends(Func<byte[], byte[]?> answer)
    {
        var sentAt = new List<long>();
        _port.Responder = request =>
        {
            sentAt.Add(_clock.MonotonicMs);
            return answer(request);
        };
        return sentAt;
    }

    private static ModbusTransaction Read(int count = 3)
    {
        var t = new ModbusTransaction(125);
        t.ReadHoldingRegisters(1, 40000, count);
        return t;
    }

    [Theory]
    [InlineData(9600, 5)]
    [InlineData(19200, 3)]
    [InlineData(38400, 2)]
    [InlineData(115200, 2)]
    public void Silent_interval_is_three_and_a_half_characters_rounded_up(int baud, int ms)
    {
        Assert.Equal(ms, ModbusMaster.SilentIntervalMsForBaud(baud));
    }

    [Fact]
    public void A_read_completes_with_the_registers_of_the_answer()
    {
        _port.Responder = ScriptedPort.ReadAnswer;
        ModbusMaster master = Master();
        ModbusTransaction t = Read();

        Assert.True(master.Begin(t));
        Assert.Equal(ModbusStatus.Queued, t.Status);
        long took = RunUntilFinished(master, t);

        Assert.Equal(ModbusStatus.Done, t.Status);
        Assert.Equal(new ushort[] { 1, 2, 3 }, t.Registers[..3]);
        Assert.Equal(1, t.Attempts);
        Assert.Equal(Hex.Frame("01 03 9C 40 00 03"), _port.Written.Single());
        Assert.InRange(took, 4, 20);
        Assert.True(master.IsIdle);
    }

    [Fact]
    public void Writes_complete_on_their_echo()
    {
        _port.Responder = ScriptedPort.WriteAnswer;
        ModbusMaster master = Master();
        var t = new ModbusTransaction(4);
        t.Registers[0] = 0x1234;
        t.Registers[1] = 0xFFFF;
        t.WriteMultipleRegisters(1, 40100, 2);
        master.Begin(t);
        RunUntilFinished(master, t);
        Assert.Equal(ModbusStatus.Done, t.Status);
        Assert.Equal(Hex.Frame("01 10 9C A4 00 02 04 12 34 FF FF"), _port.Written.Single());

        t.WriteSingleRegister(1, 40005, 3);
        master.Begin(t);
        RunUntilFinished(master, t);
        Assert.Equal(ModbusStatus.Done, t.Status);
        Assert.Equal(Hex.Frame("01 06 9C 45 00 03"), _port.Written[1]);
    }

    [Fact]
    public void A_silent_slave_times_out_after_every_retry()
    {
        ModbusMaster master = Master(retries: 2);
        ModbusTransaction t = Read();
        master.Begin(t);
        long took = RunUntilFinished(master, t);

        Assert.Equal(ModbusStatus.Timeout, t.Status);
        Assert.Equal(ModbusError.NoResponse, t.Error);
        Assert.Equal(3, _port.Written.Count);
        Assert.Equal(3, t.Attempts);
        Assert.Equal(2, master.RetriesSent);
        Assert.Equal(1, master.Failures);

        // Each retry waits out the timeout, then keeps the line silent for it once more (late answers).
        Assert.InRange(took, 3 * TimeoutMs + 2 * TimeoutMs, 3 * (TimeoutMs + 20) + 2 * TimeoutMs);
    }

    [Fact]
    public void A_corrupt_answer_is_retried_and_the_retry_can_succeed()
    {
        int calls = 0;
        _port.Responder = request =>
        {
            byte[] answer = ScriptedPort.ReadAnswer(request);
            if (calls++ == 0)
            {
                answer[4] ^= 0x10;
            }

            return answer;
        };
        ModbusMaster master = Master(retries: 1);
        ModbusTransaction t = Read();
        master.Begin(t);
        RunUntilFinished(master, t);

        Assert.Equal(ModbusStatus.Done, t.Status);
        Assert.Equal(2, t.Attempts);
        Assert.Equal(1, master.RetriesSent);
    }

    [Fact]
    public void An_exception_answer_ends_the_transaction_without_retry()
    {
        _port.Responder = request => ScriptedPort.ExceptionAnswer(request, ModbusExceptionCode.IllegalDataAddress);
        ModbusMaster master = Master(retries: 3);
        ModbusTransaction t = Read();
        master.Begin(t);
        RunUntilFinished(master, t);

        Assert.Equal(ModbusStatus.Error, t.Status);
        Assert.Equal(ModbusError.Exception, t.Error);
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, t.ExceptionCode);
        Assert.True(t.Answered);
        Assert.Single(_port.Written);
    }

    public static TheoryData<string, int> Defects => new()
    {
        { "wrong address", ModbusError.WrongAddress },
        { "wrong function", ModbusError.WrongFunction },
        { "bad crc", ModbusError.BadCrc },
        { "bad byte count", ModbusError.BadByteCount },
        { "trailing byte", ModbusError.LongFrame },
        { "cut short", ModbusError.ShortFrame },
        { "garbage", ModbusError.BadCrc },
    };

    [Theory]
    [MemberData(nameof(Defects))]
    public void Each_defective_answer_fails_with_its_reason(string defect, int error)
    {
        _port.Responder = request =>
        {
            byte[] good = ScriptedPort.ReadAnswer(request);
            return defect switch
            {
                "wrong address" => Hex.Frame("02 03 06 00 01 00 02 00 03"),
                "wrong function" => Hex.Frame("01 04 06 00 01 00 02 00 03"),
                "bad crc" => [.. good[..^1], (byte)(good[^1] ^ 0xFF)],
                "bad byte count" => Hex.Frame("01 03 04 00 01 00 02"),
                "trailing byte" => [.. good, 0x00],
                "cut short" => good[..6],
                _ => [0x01, 0x03, 0x06, 0xDE, 0xAD, 0xBE, 0xEF, 0x00, 0x11, 0x22, 0x33],
            };
        };
        ModbusMaster master = Master();
        ModbusTransaction t = Read();
        master.Begin(t);
        RunUntilFinished(master, t);

        Assert.Equal(ModbusStatus.Error, t.Status);
        Assert.Equal(error, t.Error);
        Assert.False(t.Answered);
    }

    [Fact]
    public void A_short_frame_is_declared_only_at_the_deadline()
    {
        _port.Responder = request => ScriptedPort.ReadAnswer(request)[..6];
        ModbusMaster master = Master();
        ModbusTransaction t = Read();
        master.Begin(t);
        long took = RunUntilFinished(master, t);

        Assert.Equal(ModbusError.ShortFrame, t.Error);
        Assert.True(took >= TimeoutMs, $"declared after {took} ms");
    }

    [Fact]
    public void A_byte_arriving_within_the_silent_interval_after_the_frame_makes_it_long()
    {
        _port.Responder = request => ScriptedPort.ReadAnswer(request);
        ModbusMaster master = Master();
        ModbusTransaction t = Read();
        master.Begin(t);
        master.Poll(_clock.MonotonicMs);
        long frameEndMs = _clock.MonotonicMs + _port.ResponseDelayMs + 7; // 11 bytes at 573 µs
        _port.Schedule([0x55], frameEndMs + 1);
        RunUntilFinished(master, t);

        Assert.Equal(ModbusError.LongFrame, t.Error);
    }

    [Fact]
    public void The_next_request_waits_for_the_silent_interval_after_the_last_byte()
    {
        List<long> sentAt = RecordSends(request => ScriptedPort.ReadAnswer(request));
        ModbusMaster master = Master();
        ModbusTransaction a = Read();
        ModbusTransaction b = Read();
        master.Begin(a);
        master.Begin(b);
        RunUntilFinished(master, a);
        long lastByteOfA = sentAt[0] + _port.ResponseDelayMs + 6; // 11 bytes * 573 µs rounds into the 7th ms
        RunUntilFinished(master, b);

        Assert.Equal(2, sentAt.Count);
        Assert.True(sentAt[1] - lastByteOfA >= master.SilentIntervalMs, $"gap {sentAt[1] - lastByteOfA} ms");
    }

    [Fact]
    public void Queued_transactions_take_turns_in_order()
    {
        var order = new List<int>();
        _port.Responder = request =>
        {
            order.Add(ModbusRtu.Word(request, 2));
            return ScriptedPort.ReadAnswer(request);
        };
        ModbusMaster master = Master();
        var converter = new ModbusTransaction(10);
        var modem = new ModbusTransaction(10);
        converter.ReadHoldingRegisters(1, 100, 1);
        modem.ReadHoldingRegisters(2, 200, 1);
        master.Begin(converter);
        master.Begin(modem);
        RunUntilFinished(master, converter);

        // The converter immediately wants the bus again: the modem, already waiting, goes first.
        converter.ReadHoldingRegisters(1, 101, 1);
        master.Begin(converter);
        RunUntilFinished(master, converter);

        Assert.Equal(ModbusStatus.Done, modem.Status);
        Assert.Equal(new[] { 100, 200, 101 }, order);
    }

    [Fact]
    public void Begin_refuses_a_transaction_already_under_way_or_never_set_up()
    {
        ModbusMaster master = Master();
        ModbusTransaction t = Read();
        Assert.True(master.Begin(t));
        Assert.False(master.Begin(t));
        Assert.Throws<InvalidOperationException>(() => t.ReadHoldingRegisters(1, 0, 1));
        Assert.False(master.Begin(new ModbusTransaction(1)));
    }

    [Fact]
    public void The_deadline_allows_for_a_long_frame_at_a_slow_baud_rate()
    {
        _port.MicrosPerByte = 1146; // 9600 baud
        _port.Responder = ScriptedPort.ReadAnswer;
        ModbusMaster master = Master(baud: 9600);
        ModbusTransaction t = Read(125);
        master.Begin(t);
        long took = RunUntilFinished(master, t);

        Assert.Equal(ModbusStatus.Done, t.Status);
        Assert.True(took > TimeoutMs, $"the 255-byte answer alone takes {took} ms");
    }

    [Fact]
    public void Bytes_arriving_while_idle_are_drained_and_not_taken_as_an_answer()
    {
        ModbusMaster master = Master();
        _port.Schedule([0x01, 0x03, 0x06], 0);
        _clock.Advance(10);
        Assert.Equal(ModbusStatus.Idle, master.Poll(_clock.MonotonicMs));
        Assert.Equal(3, master.StrayBytes);

        _port.Responder = ScriptedPort.ReadAnswer;
        ModbusTransaction t = Read();
        master.Begin(t);
        RunUntilFinished(master, t);
        Assert.Equal(ModbusStatus.Done, t.Status);
    }

    [Fact]
    public void A_late_answer_to_a_timed_out_request_is_discarded_and_never_taken_for_the_retry()
    {
        // The first answer comes 40 ms after the deadline, inside the silence the master keeps;
        // the retry's answer (other values) comes at once and is the one taken.
        int calls = 0;
        _port.Responder = request =>
        {
            byte[] answer = ScriptedPort.ReadAnswer(request);
            if (calls++ == 0)
            {
                answer[4] = 0x99;
                ModbusCrc16.Append(answer, answer.Length - 2);
                _port.ResponseDelayMs = TimeoutMs + 50;
            }
            else
            {
                _port.ResponseDelayMs = 4;
            }

            return answer;
        };
        ModbusMaster master = Master(retries: 1);
        ModbusTransaction t = Read();
        master.Begin(t);
        RunUntilFinished(master, t);

        Assert.Equal(ModbusStatus.Done, t.Status);
        Assert.Equal(new ushort[] { 1, 2, 3 }, t.Registers[..3]);
        Assert.Equal(2, t.Attempts);
        Assert.Equal(11, master.StrayBytes);
    }

    [Fact]
    public void A_request_waits_out_the_silence_after_an_unanswered_one_before_it_goes_out()
    {
        List<long> sentAt = RecordSends(request => request[0] == 2 ? null : ScriptedPort.ReadAnswer(request));
        ModbusMaster master = Master();
        var silent = new ModbusTransaction(3);
        silent.ReadHoldingRegisters(2, 0, 3);
        ModbusTransaction next = Read();
        master.Begin(silent);
        master.Begin(next);
        RunUntilFinished(master, silent);
        RunUntilFinished(master, next);

        // The silent unit's neighbours may still wait for its answer: the line stays quiet a timeout more.
        Assert.Equal(ModbusStatus.Timeout, silent.Status);
        Assert.Equal(ModbusStatus.Done, next.Status);
        Assert.True(sentAt[1] - sentAt[0] >= 2 * TimeoutMs, $"next request {sentAt[1] - sentAt[0]} ms after the silent one");
    }

    [Fact]
    public void An_intact_answer_from_another_unit_is_discarded_and_the_real_answer_still_taken()
    {
        _port.Responder = request =>
        {
            byte[] foreign = Hex.Frame("02 03 06 00 07 00 08 00 09");
            _port.Schedule(foreign, _clock.MonotonicMs + 2);
            return ScriptedPort.ReadAnswer(request);
        };
        _port.ResponseDelayMs = 20;
        ModbusMaster master = Master();
        ModbusTransaction t = Read();
        master.Begin(t);
        RunUntilFinished(master, t);

        Assert.Equal(ModbusStatus.Done, t.Status);
        Assert.Equal(new ushort[] { 1, 2, 3 }, t.Registers[..3]);
        Assert.Equal(1, master.DiscardedFrames);
        Assert.Equal(1, t.Attempts);
    }

    [Fact]
    public void The_configured_inter_frame_gap_is_kept_before_every_request()
    {
        List<long> sentAt = RecordSends(request => ScriptedPort.ReadAnswer(request));
        ModbusMaster master = Master(gapMs: 25);
        ModbusTransaction a = Read();
        ModbusTransaction b = Read();
        master.Begin(a);
        master.Begin(b);
        RunUntilFinished(master, a);
        long lastByteOfA = sentAt[0] + _port.ResponseDelayMs + 6;
        RunUntilFinished(master, b);

        Assert.True(sentAt[1] - lastByteOfA >= 25, $"gap {sentAt[1] - lastByteOfA} ms");
    }

    [Fact]
    public void A_timing_change_applies_from_the_next_request()
    {
        var timing = new ModbusTiming { ResponseTimeoutMs = TimeoutMs, Retries = 0 };
        var master = new ModbusMaster(_port, 19200, timing);
        ModbusTransaction t = Read();
        master.Begin(t);
        long first = RunUntilFinished(master, t);

        timing.ResponseTimeoutMs = 3 * TimeoutMs;
        master.Begin(t);
        long second = RunUntilFinished(master, t);

        Assert.True(second - first >= 2 * TimeoutMs, $"first {first} ms, second {second} ms");
    }

    [Fact]
    public void A_probe_makes_one_attempt_whatever_the_retries()
    {
        ModbusMaster master = Master(retries: 3);
        ModbusTransaction t = Read();
        t.NoRetry = true;
        master.Begin(t);
        RunUntilFinished(master, t);

        Assert.Equal(ModbusStatus.Timeout, t.Status);
        Assert.Single(_port.Written);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void A_port_that_throws_fails_the_attempt_and_never_escapes(bool onWrite, bool onRead)
    {
        var port = new ThrowingPort(onWrite, onRead);
        var master = new ModbusMaster(port, 19200, new ModbusTiming { ResponseTimeoutMs = TimeoutMs, Retries = 1 });
        ModbusTransaction t = Read();
        master.Begin(t);
        for (int i = 0; i < 2_000 && !t.IsFinished; i++)
        {
            _clock.Advance(1);
            master.Poll(_clock.MonotonicMs);
        }

        Assert.Equal(ModbusStatus.Error, t.Status);
        Assert.Equal(ModbusError.PortFailure, t.Error);
        Assert.Equal(2, t.Attempts);
        Assert.True(master.PortErrors >= 2);
    }

    private sealed class ThrowingPort(bool onWrite, bool onRead) : IModbusPort
    {
        public void Write(byte[] buffer, int offset, int count)
        {
            if (onWrite)
            {
                throw new IOException("adapter unplugged");
            }
        }

        public int Read(byte[] buffer, int offset, int count) =>
            onRead ? throw new IOException("adapter unplugged") : 0;
    }

    [Fact]
    public void Status_and_error_names_are_readable()
    {
        Assert.Equal("timeout", ModbusStatus.Name(ModbusStatus.Timeout));
        Assert.Equal("bad CRC", ModbusError.Name(ModbusError.BadCrc));
        Assert.Equal("unknown", ModbusError.Name(99));
    }
}
