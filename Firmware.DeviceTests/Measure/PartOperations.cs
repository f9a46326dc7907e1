using ChargerFirmware.Arbiter;
using ChargerFirmware.Conditions;
using ChargerFirmware.Consent;
using ChargerFirmware.DeviceTests.Parts;
using ChargerFirmware.Ledger;
using ChargerFirmware.Protocol.Messages;

namespace ChargerFirmware.DeviceTests.Measure
{
    /// <summary>
    /// The probe's own check: one <c>new byte[100]</c> per run, which must show as the bytes such an
    /// array takes on the runtime (measured beforehand from the free heap), or the other figures mean nothing.
    /// </summary>
    public sealed class Calibration : Operation
    {
        private readonly int _objectBytes;
        private object? _last;

        /// <summary>What one run allocates.</summary>
        public const int ArrayLength = 100;

        /// <summary>A calibration expecting <paramref name="objectBytes"/> per run (measured on the runtime).</summary>
        public Calibration(int objectBytes)
        {
            _objectBytes = objectBytes;
        }

        /// <inheritdoc />
        public override string Name
        {
            get { return "calibration: new byte[100]"; }
        }

        /// <inheritdoc />
        public override int AllowedBytes
        {
            get { return _objectBytes; }
        }

        /// <inheritdoc />
        public override bool Exact
        {
            get { return true; }
        }

        /// <inheritdoc />
        public override string? Allowance
        {
            get { return "one array"; }
        }

        /// <summary>The object of the last run.</summary>
        public object? Last
        {
            get { return _last; }
        }

        /// <inheritdoc />
        public override void Run()
        {
            _last = new byte[ArrayLength];
        }
    }

    /// <summary>One arbiter decision while following a discharge order: balanced preset with weekly windows, a fresh SOC of 60 %, every limit weighed.</summary>
    public sealed class ArbiterDecision : Operation
    {
        private readonly PowerArbiter _arbiter = new PowerArbiter(new ArbiterOptions());
        private readonly ArbiterInputs _in = new ArbiterInputs();
        private readonly Arbiter.ArbiterDecision _out = new Arbiter.ArbiterDecision();

        /// <summary>The decision's inputs.</summary>
        public ArbiterDecision()
        {
            ChargingConditions conditions = new ChargingConditions("balanced", 500, 25000, 15000, false, Settlement.Offset);
            conditions.Windows.Add(DayMasks.Weekdays, 0, TimeWindows.MinutesPerDay);
            conditions.Windows.Add(DayMasks.Weekend, 0, TimeWindows.MinutesPerDay);
            _in.UtcMs = StepClock.StartUtcMs;
            _in.UtcValid = true;
            _in.PowerAllowed = true;
            _in.ConsentState = ConsentStates.Granted;
            _in.Conditions = conditions;
            _in.PricesValid = true;
            _in.BuyPriceMilli = 14000;
            _in.SellPriceMilli = 28000;
            _in.HasDispatch = true;
            _in.DispatchSetpointW = -3000;
            _in.DispatchId = "d-1";
            _in.SocKnown = true;
            _in.SocPermille = 600;
            _in.SocAgeMs = 1000;
            _in.VehicleMaxChargeW = 11000;
            _in.VehicleMaxDischargeW = 6000;
            _in.ChargeLimitW = 7400;
            _in.DischargeLimitW = 7400;
            _in.ConverterMaxChargeW = 9000;
            _in.ConverterMaxDischargeW = 9000;
        }

        /// <inheritdoc />
        public override string Name
        {
            get { return "arbiter decision"; }
        }

        /// <inheritdoc />
        public override int Runs
        {
            get { return 16384; }
        }

        /// <summary>The setpoint of the last decision, W.</summary>
        public int SetpointW
        {
            get { return _out.SetpointW; }
        }

        /// <inheritdoc />
        public override void Run()
        {
            _in.MonotonicMs += 20;
            _in.UtcMs += 20;
            _arbiter.Decide(_in, _out);
        }
    }

    /// <summary>A discharging charger's status (every field, the conditions summary) encoded into the link's buffer.</summary>
    public sealed class StatusEncode : Operation
    {
        private readonly MessageCodec _codec = new MessageCodec(CodecSamples.ChargerId);
        private readonly StatusMessage _status = CodecSamples.Status();
        private readonly byte[] _buffer = new byte[MessageCodec.MaxPayloadLength];

        /// <inheritdoc />
        public override string Name
        {
            get { return "encode status"; }
        }

        /// <summary>Bytes of the last encoding.</summary>
        public int Length { get; private set; }

        /// <summary>The buffer written.</summary>
        public byte[] Buffer
        {
            get { return _buffer; }
        }

        /// <inheritdoc />
        public override void Run()
        {
            Length = _codec.Encode(_status, _buffer);
        }
    }

    /// <summary>A full dispatch (every field) decoded from UTF-8 into a reused message, as the link's receive thread does.</summary>
    public sealed class DispatchDecode : Operation
    {
        private readonly MessageCodec _codec = new MessageCodec(CodecSamples.ChargerId);
        private readonly DispatchMessage _dispatch = new DispatchMessage();
        private readonly byte[] _json = CodecSamples.DispatchJson();
        private readonly int _allowed;

        /// <summary>A decode allowed what its message's strings take (<paramref name="stringBytes"/>, measured on the runtime).</summary>
        public DispatchDecode(int stringBytes)
        {
            _allowed = stringBytes;
        }

        /// <inheritdoc />
        public override string Name
        {
            get { return "decode dispatch"; }
        }

        /// <inheritdoc />
        public override int AllowedBytes
        {
            get { return _allowed; }
        }

        /// <inheritdoc />
        public override string? Allowance
        {
            get { return "its strings: id, currency, charger id"; }
        }

        /// <summary>The message decoded.</summary>
        public DispatchMessage Message
        {
            get { return _dispatch; }
        }

        /// <summary>The reason of the last refusal, or null.</summary>
        public string? Refusal { get; private set; }

        /// <inheritdoc />
        public override void Run()
        {
            string? reason;
            Refusal = _codec.TryDecode(_json, _json.Length, _dispatch, out reason) ? null : reason;
        }
    }

    /// <summary>One ledger record appended to the journal in flash (RAM here), as the control loop does at each cut.</summary>
    public sealed class LedgerAppend : Operation
    {
        // The journal's files: state, j0 and j1 (compaction writes the other one), the id marks' two
        // copies and the open session. One slot fewer and compaction fails, the journal never shrinks,
        // and its file outgrows the slot during the count.
        private const int JournalFiles = 6;

        // Room for a count's appends without compaction (4096 of the sample's 125-byte frames, 500 KB) with
        // a margin for a longer record, under nanoCLR's largest object (64 K blocks, 768 KB on 32 bits).
        private const int SlotBytes = 640 * 1024;

        private readonly LedgerJournal _journal;
        private readonly LedgerRecord _record = CodecSamples.Record();

        /// <summary>A journal over its own RAM flash, with room for every counted append (no compaction while counting).</summary>
        public LedgerAppend()
        {
            _journal = new LedgerJournal(new RamStorage(JournalFiles, SlotBytes), "ledger", 1024 * 1024);
            _journal.Open();
        }

        /// <inheritdoc />
        public override string Name
        {
            get { return "ledger append"; }
        }

        /// <inheritdoc />
        public override void Run()
        {
            _journal.TryAppend(_record);
        }

        /// <inheritdoc />
        public override void Maintain()
        {
            _journal.Acknowledge(_journal.LastRecordId);
            if (!_journal.Compact())
            {
                // Said here, not found later as an out-of-memory in the stand-in flash.
                throw new System.InvalidOperationException("ledger append: the journal did not compact in its RAM flash");
            }
        }
    }
}
