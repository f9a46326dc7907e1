using ChargerFirmware.Drivers;
using ChargerFirmware.Drivers.Modbus;

namespace ChargerFirmware.VirtualHardware;

/// <summary>
/// An RS-485 line in memory, timed by a clock: a request written by the master reaches the slaves
/// once it has been on the wire (11 bits a character at <see cref="BaudRate"/>) plus 3.5
/// characters; the addressed slave answers after <see cref="TurnaroundMs"/>, and its bytes become
/// readable one character time apart. Faults can be injected on responses (drop, bit flips,
/// truncation, trailing noise, extra delay) or the line cut. Seeded, allocation-free per frame.
/// </summary>
public sealed class VirtualBus
{
    private const int RingSize = 4096;

    private readonly IClock _clock;
    private readonly List<IModbusSlave> _slaves = [];
    private readonly Random _random;
    private readonly int _characterMicros;
    private readonly byte[] _request = new byte[ModbusRtu.MaxFrameLength];
    private readonly byte[] _response = new byte[ModbusRtu.MaxFrameLength + 16];
    private readonly byte[] _ring = new byte[RingSize];
    private readonly long[] _ringAtMicros = new long[RingSize];
    private int _ringHead;
    private int _ringCount;
    private int _requestLength;
    private long _requestDeliverMicros;
    private long _lineFreeMicros;

    /// <summary>Creates a line at <paramref name="baudRate"/>; <paramref name="seed"/> drives the injected faults.</summary>
    public VirtualBus(IClock clock, int baudRate = 19200, int seed = 1)
    {
        _clock = clock;
        BaudRate = baudRate;
        _characterMicros = 11_000_000 / baudRate;
        _random = new Random(seed);
        MasterPort = new VirtualModbusPort(this);
    }

    /// <summary>Line speed.</summary>
    public int BaudRate { get; }

    /// <summary>The port a <see cref="ModbusMaster"/> uses.</summary>
    public VirtualModbusPort MasterPort { get; }

    /// <summary>Slave processing time before its answer starts.</summary>
    public int TurnaroundMs { get; set; } = 3;

    /// <summary>Extra delay added to every answer.</summary>
    public int ExtraDelayMs { get; set; }

    /// <summary>Cable cut: requests reach nobody.</summary>
    public bool Disconnected { get; set; }

    /// <summary>Probability that an answer is lost.</summary>
    public double DropProbability { get; set; }

    /// <summary>Probability that one bit of an answer is flipped.</summary>
    public double CorruptProbability { get; set; }

    /// <summary>Probability that an answer is cut short.</summary>
    public double TruncateProbability { get; set; }

    /// <summary>Probability that random bytes follow an answer.</summary>
    public double NoiseProbability { get; set; }

    /// <summary>Answers to lose unconditionally before the probabilities apply again.</summary>
    public int DropNext { get; set; }

    /// <summary>Requests the master wrote.</summary>
    public int Requests { get; private set; }

    /// <summary>Answers put on the line.</summary>
    public int Answers { get; private set; }

    /// <summary>Answers that were dropped or damaged on purpose.</summary>
    public int Damaged { get; private set; }

    /// <summary>Connects a slave.</summary>
    public void Attach(IModbusSlave slave) => _slaves.Add(slave);

    /// <summary>Disconnects a slave.</summary>
    public void Detach(IModbusSlave slave) => _slaves.Remove(slave);

    internal void FromMaster(byte[] buffer, int offset, int count)
    {
        Pump();
        long now = NowMicros();
        Requests++;
        if (Disconnected || count > _request.Length)
        {
            return;
        }

        Array.Copy(buffer, offset, _request, 0, count);
        _requestLength = count;
        _requestDeliverMicros = Math.Max(now, _lineFreeMicros) + ((count * 2 + 7) * _characterMicros / 2);
        _lineFreeMicros = _requestDeliverMicros;
    }

    internal int ToMaster(byte[] buffer, int offset, int count)
    {
        Pump();
        long now = NowMicros();
        int read = 0;
        while (read < count && _ringCount > 0 && _ringAtMicros[_ringHead] <= now)
        {
            buffer[offset + read++] = _ring[_ringHead];
            _ringHead = (_ringHead + 1) % RingSize;
            _ringCount--;
        }

        return read;
    }

    private void Pump()
    {
        if (_requestLength == 0 || NowMicros() < _requestDeliverMicros)
        {
            return;
        }

        int length = _requestLength;
        _requestLength = 0;
        foreach (IModbusSlave slave in _slaves)
        {
            int answer = slave.Handle(_request, length, _response);
            if (answer > 0)
            {
                Answers++;
                Transmit(answer, _requestDeliverMicros + ((TurnaroundMs + ExtraDelayMs) * 1000L));
                return;
            }
        }
    }

    private void Transmit(int length, long startMicros)
    {
        if (DropNext > 0 || Chance(DropProbability))
        {
            DropNext = Math.Max(0, DropNext - 1);
            Damaged++;
            return;
        }

        if (Chance(CorruptProbability))
        {
            _response[_random.Next(length)] ^= (byte)(1 << _random.Next(8));
            Damaged++;
        }

        if (Chance(TruncateProbability))
        {
            length = 1 + _random.Next(length - 1);
            Damaged++;
        }

        if (Chance(NoiseProbability))
        {
            int noise = 1 + _random.Next(8);
            for (int i = 0; i < noise; i++)
            {
                _response[length++] = (byte)_random.Next(256);
            }

            Damaged++;
        }

        long at = startMicros;
        for (int i = 0; i < length && _ringCount < RingSize; i++)
        {
            at += _characterMicros;
            int tail = (_ringHead + _ringCount) % RingSize;
            _ring[tail] = _response[i];
            _ringAtMicros[tail] = at;
            _ringCount++;
        }

        _lineFreeMicros = at;
    }

    private bool Chance(double probability) => probability > 0 && _random.NextDouble() < probability;

    private long NowMicros() => _clock.MonotonicMs * 1000;
}

/// <summary>The master's end of a <see cref="VirtualBus"/>.</summary>
public sealed class VirtualModbusPort : IModbusPort
{
    private readonly VirtualBus _bus;

    internal VirtualModbusPort(VirtualBus bus) => _bus = bus;

    /// <inheritdoc />
    public void Write(byte[] buffer, int offset, int count) => _bus.FromMaster(buffer, offset, count);

    /// <inheritdoc />
    public int Read(byte[] buffer, int offset, int count) => _bus.ToMaster(buffer, offset, count);
}
