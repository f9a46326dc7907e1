using BenchmarkDotNet.Attributes;
using ChargerFirmware.Ledger;
using ChargerFirmware.Protocol.Messages;
using ChargerFirmware.VirtualHardware;

namespace ChargerFirmware.Bench.Micro;

/// <summary>
/// One ledger append as the control loop makes it (<see cref="LedgerJournal.TryAppend"/>: encode,
/// CRC, append to flash) over <see cref="MemoryStorage"/>. To keep the journal the size it has in
/// service, the aggregator's acknowledgement and a compaction follow every 1,024 appends and are
/// amortised into the figure, as is MemoryStorage's growth of a fresh journal file (host-side).
/// </summary>
[MemoryDiagnoser]
public class LedgerBenchmarks
{
    private const int CompactEvery = 1024;

    private LedgerJournal _journal = null!;
    private LedgerRecord _record = null!;
    private int _appends;

    [GlobalSetup]
    public void Setup()
    {
        _journal = NewJournal(new MemoryStorage());
        _record = NewRecord();
    }

    public static LedgerJournal NewJournal(MemoryStorage storage)
    {
        var journal = new LedgerJournal(storage, "ledger", LedgerJournal.DefaultMaxBytes);
        journal.Open();
        return journal;
    }

    /// <summary>A quarter-hour of discharge under a dispatch, priced, with the ids a real session has.</summary>
    public static LedgerRecord NewRecord() => new()
    {
        SessionId = "S-7f3a9c21e4",
        VehicleId = "EVCC0A1B2C3D4E",
        StartUtcMs = 1_798_794_000_000,
        EndUtcMs = 1_798_794_900_000,
        Kind = LedgerKind.AggregatorDischarge,
        Wh = 750,
        PriceMilliPerKWh = 28_250,
        Currency = "JPY",
        AmountMilli = 21_187,
        DispatchId = "d-20270101-000123",
        Settlement = Settlement.Offset,
    };

    [Benchmark(Description = "ledger append")]
    public bool Append()
    {
        if (++_appends == CompactEvery)
        {
            _appends = 0;
            _journal.Acknowledge(_journal.LastRecordId);
            _journal.Compact();
        }

        return _journal.TryAppend(_record);
    }
}
