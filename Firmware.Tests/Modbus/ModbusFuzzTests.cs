using ChargerFirmware.Drivers.Modbus;
using ChargerFirmware.VirtualHardware;
using Xunit;

namespace ChargerFirmware.Tests.Modbus;

public class ModbusFuzzTests
{
    private const int MalformedFrames = 100_000;

    [Fact]
    public void Malformed_answers_never_escape_as_exceptions_never_hang_and_never_pass_as_valid()
    {
        var random = new Random(20270101);
        var clock = new ManualClock();
        var port = new ScriptedPort(clock);
        var master = new ModbusMaster(port, 19200, new ModbusTiming { ResponseTimeoutMs = 50, Retries = 0 });
        var t = new ModbusTransaction(ModbusRtu.MaxReadCount);
        int mutation = 0;
        port.Responder = request => Mutate(
            random,
            request,
            request[1] == ModbusFunction.ReadHoldingRegisters ? ScriptedPort.ReadAnswer(request) : ScriptedPort.WriteAnswer(request),
            mutation,
            port);

        int malformed = 0;
        int valid = 0;
        var outcomes = new int[16];
        while (malformed < MalformedFrames)
        {
            mutation = random.Next(10);
            SetUp(random, t);
            Assert.True(master.Begin(t));
            int polls = 0;
            while (!t.IsFinished)
            {
                Assert.True(++polls < 2_000, "the master hung");
                clock.Advance(1 + random.Next(3));
                master.Poll(clock.MonotonicMs);
            }

            outcomes[t.Error]++;
            if (mutation == 0 || mutation == 9)
            {
                valid++;
                Assert.True(t.Status == ModbusStatus.Done, $"mutation {mutation} fn {t.Function} count {t.Count} error {ModbusError.Name(t.Error)} polls {polls}");
                if (t.Function == ModbusFunction.ReadHoldingRegisters)
                {
                    Assert.Equal(1, t.Registers[0]);
                    Assert.Equal(t.Count, t.Registers[t.Count - 1]);
                }
            }
            else
            {
                malformed++;
                if (mutation <= 4)
                {
                    Assert.NotEqual(ModbusStatus.Done, t.Status);
                }
            }

            // Let any tail of a long garbage answer arrive and be drained before the next request.
            clock.Advance(200);
            master.Poll(clock.MonotonicMs);
        }

        Assert.True(valid > 10_000);
        Assert.True(outcomes[ModbusError.BadCrc] > 10_000);
        Assert.True(outcomes[ModbusError.ShortFrame] > 1_000);
        Assert.True(outcomes[ModbusError.LongFrame] > 1_000);
        Assert.True(outcomes[ModbusError.NoResponse] > 100);
        Assert.True(outcomes[ModbusError.Exception] > 1_000);
        Assert.True(outcomes[ModbusError.WrongAddress] > 1_000);
    }

    [Fact]
    public void The_frame_checks_survive_random_buffers_of_every_length()
    {
        var random = new Random(7);
        var request = new byte[ModbusRtu.MaxFrameLength];
        var response = new byte[ModbusRtu.MaxFrameLength];
        for (int i = 0; i < 100_000; i++)
        {
            ModbusRtu.BuildReadHoldingRegisters(request, 1 + random.Next(247), random.Next(65536 - 125), 1 + random.Next(125));
            random.NextBytes(response);
            int length = random.Next(response.Length + 1);
            if (random.Next(2) == 0 && length >= 3)
            {
                ModbusCrc16.Append(response, length - 2);
            }

            int error = ModbusRtu.CheckResponse(request, response, length);
            int expected = ModbusRtu.ExpectedResponseLength(request, response, length);
            Assert.InRange(error, ModbusError.None, ModbusError.BadEcho);
            Assert.InRange(expected, -1, 260);
        }
    }

    private static void SetUp(Random random, ModbusTransaction t)
    {
        switch (random.Next(3))
        {
            case 0:
                t.ReadHoldingRegisters(1, random.Next(60000), 1 + random.Next(ModbusRtu.MaxReadCount));
                break;
            case 1:
                t.WriteSingleRegister(1, random.Next(60000), random.Next(65536));
                break;
            default:
                int count = 1 + random.Next(ModbusRtu.MaxWriteCount);
                for (int i = 0; i < count; i++)
                {
                    t.Registers[i] = (ushort)random.Next(65536);
                }

                t.WriteMultipleRegisters(1, random.Next(60000), count);
                break;
        }
    }

    private static byte[]? Mutate(Random random, byte[] request, byte[] good, int mutation, ScriptedPort port)
    {
        byte[] frame = (byte[])good.Clone();
        switch (mutation)
        {
            case 0:
                return frame;
            case 1:
                Flip(random, frame, random.Next(frame.Length * 8));
                return frame;
            case 2:
                int first = random.Next(frame.Length * 8);
                int second = (first + 1 + random.Next((frame.Length * 8) - 1)) % (frame.Length * 8);
                Flip(random, frame, first);
                Flip(random, frame, second);
                return frame;
            case 3:
                return frame[..random.Next(frame.Length)];
            case 4:
                byte[] tail = new byte[1 + random.Next(10)];
                random.NextBytes(tail);
                return [.. frame, .. tail];
            case 5:
                byte[] noise = new byte[random.Next(261)];
                random.NextBytes(noise);
                return noise.Length == 0 ? null : noise;
            case 6:
                return ScriptedPort.ExceptionAnswer(request, 1 + random.Next(11));
            case 7:
                frame[0] = (byte)(2 + random.Next(200));
                ModbusCrc16.Append(frame, frame.Length - 2);
                return frame;
            case 8:
                byte[] payload = new byte[3 + random.Next(40)];
                random.NextBytes(payload);
                payload[0] = request[0];
                ModbusCrc16.Append(payload, payload.Length - 2);
                return payload;
            default:
                // A valid answer handed over in two bursts with a pause, as a UART driver may do.
                port.PauseAfterBytes = 1 + random.Next(frame.Length - 1);
                port.PauseMs = 10 + random.Next(20);
                return frame;
        }
    }

    private static void Flip(Random random, byte[] frame, int bit) => frame[bit / 8] ^= (byte)(1 << (bit % 8));
}
