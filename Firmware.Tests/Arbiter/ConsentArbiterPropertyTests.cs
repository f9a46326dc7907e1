using ChargerFirmware.Arbiter;
using ChargerFirmware.Conditions;
using ChargerFirmware.Consent;
using ChargerFirmware.Protocol.Messages;
using ChargerFirmware.Tests.Conditions;
using ChargerFirmware.Tests.Consent;
using ChargerFirmware.VirtualHardware;
using Xunit;

namespace ChargerFirmware.Tests.Arbiter;

/// <summary>
/// Random plug-ins, answers (panel, remote, late, wrong nonce, wrong or old session), prices,
/// dispatches, SOC readings (fresh, stale, missing), limits and window edges, driving a real
/// <see cref="ConsentSession"/> and <see cref="PowerArbiter"/> the way the control loop does.
/// After every tick the decision is checked against the driver's consent and conditions, computed
/// independently from the inputs; every answer's outcome is checked against a model of the rules.
/// </summary>
public class ConsentArbiterPropertyTests
{
    private const int Sequences = 10_000;
    private const int TicksPerSequence = 40;

    [Fact]
    public void Random_sequences_never_use_the_car_against_the_drivers_consent_or_conditions()
    {
        var coverage = new Coverage();
        for (int seed = 0; seed < Sequences; seed++)
        {
            new Sequence(seed, coverage).Run();
        }

        // The generator must reach every situation, or the invariants above prove little.
        Assert.True(coverage.DischargeTicks > 15_000, $"discharge ticks {coverage.DischargeTicks}");
        Assert.True(coverage.AggregatorChargeTicks > 15_000, $"aggregator charge ticks {coverage.AggregatorChargeTicks}");
        Assert.True(coverage.StopsWhileDischarging > 200, $"stops while discharging {coverage.StopsWhileDischarging}");
        Assert.True(coverage.WindowEdgesCrossedWhileDischarging > 100, $"window edges {coverage.WindowEdgesCrossedWhileDischarging}");
        Assert.True(coverage.MidnightWindowTicks > 2_000, $"midnight window ticks {coverage.MidnightWindowTicks}");
        for (int reason = ReasonCodes.NotReady; reason <= ReasonCodes.LimitedByTemperature; reason++)
        {
            Assert.True(coverage.Reasons[reason] > 0, "never saw " + ReasonCodes.Name(reason));
        }

        for (int result = ConsentResults.Accepted; result <= ConsentResults.NotAvailable; result++)
        {
            Assert.True(coverage.Results[result] > 0, "never saw " + ConsentResults.Name(result));
        }
    }

    private sealed class Coverage
    {
        public int DischargeTicks;
        public int AggregatorChargeTicks;
        public int StopsWhileDischarging;
        public int WindowEdgesCrossedWhileDischarging;
        public int MidnightWindowTicks;
        public int[] Reasons { get; } = new int[32];
        public int[] Results { get; } = new int[16];
    }

    private sealed class Sequence
    {
        private static readonly int[] Offsets = [0, 540, -300, 330, 840, -720];
        private static readonly long[] Steps = [50, 100, 100, 250, 1_000, 5_000, 30_000];

        private readonly Random _r;
        private readonly Coverage _coverage;
        private readonly ManualClock _clock;
        private readonly ConsentOptions _consentOptions = new();
        private readonly PresetStore _presets = new(new FakeStorage(), PresetStore.DefaultFileName, Settlement.Offset);
        private readonly ConsentSession _session;
        private readonly ArbiterOptions _options = new();
        private readonly PowerArbiter _arbiter;
        private readonly ArbiterInputs _in = new();
        private readonly ArbiterDecision _out = new();
        private readonly HashSet<string> _nonces = new();
        private readonly HashSet<string> _ids = new();
        private readonly bool _sharingOffered;

        // The model of the consent rules, kept by the test alone.
        private int _modelState = ConsentStates.None;
        private bool _modelTimedOut;
        private long _deadline;
        private string _oldId = "";
        private string _oldNonce = "";

        private long _socReadAtMs;
        private int _socMode;
        private int _previousSetpoint;
        private bool _previousInside;
        private bool _stoppedThisTick;
        private int _tick;

        public Sequence(int seed, Coverage coverage)
        {
            _r = new Random(seed);
            _coverage = coverage;
            _options.UtcOffsetMinutes = Offsets[_r.Next(Offsets.Length)];
            _options.RampWps = _r.Next(4) == 0 ? 100_000 : _r.Next(200, 5_000);
            _options.FloorResumeHysteresisPermille = _r.Next(0, 50);
            _consentOptions.TimeoutMs = _r.Next(2) == 0 ? ConsentOptions.DefaultTimeoutMs : _r.Next(1_000, 60_000);
            _consentOptions.RemoteAnswersEnabled = _r.Next(5) != 0;
            _sharingOffered = _r.Next(20) != 0;

            // A fifth of the sequences start a few minutes before local midnight, to cross it.
            long start = 1_798_761_600_000 + _r.NextInt64(0, 366L * 86_400_000);
            if (_r.Next(5) == 0)
            {
                start = start - (start % 86_400_000) - (_options.UtcOffsetMinutes * 60_000L) - _r.Next(0, 600_000);
            }

            _clock = new ManualClock(start);
            _session = new ConsentSession(new SeededEntropy(seed), _presets, _consentOptions);
            _arbiter = new PowerArbiter(_options);
            if (_r.Next(3) == 0)
            {
                _presets.AddOrReplace(RandomConditions("mine"));
            }

            ArbiterRig.FillTypical(_in);
            _in.PowerAllowed = false;
            _in.SocPermille = _r.Next(0, 1001);
        }

        private long Now => _clock.MonotonicMs;

        public void Run()
        {
            if (_r.Next(10) != 0)
            {
                PlugIn();
            }

            for (_tick = 0; _tick < TicksPerSequence; _tick++)
            {
                _clock.Advance(Steps[_r.Next(Steps.Length)]);
                _stoppedThisTick = false;
                Events();
                _session.Tick(Now);
                ModelTimeout();
                Decide();
                Check();
            }
        }

        private void PlugIn()
        {
            if (!_sharingOffered)
            {
                _in.PowerAllowed = true;
                return;
            }

            _session.Open(Now, _r.Next(2) == 0 ? "" : "VIN" + _r.Next(1000));
            _arbiter.Reset();
            Assert.True(_nonces.Add(_session.Nonce), "nonce reused");
            Assert.True(_ids.Add(_session.SessionId), "session id reused");
            _modelState = ConsentStates.Pending;
            _modelTimedOut = false;
            _deadline = Now + _consentOptions.TimeoutMs;
            _in.PowerAllowed = true;
            if (_r.Next(3) == 0)
            {
                // Windows around the present, so their edges pass during the sequence.
                ChargingConditions conditions = RandomConditions("custom");
                Expect(ExpectedRemote(_session.SessionId, _session.Nonce), _session.AnswerRemoteWithConditions(Now, _session.SessionId, _session.Nonce, true, conditions, Settlement.Unspecified), true);
            }
        }

        private void Unplug()
        {
            if (_session.State != ConsentStates.None)
            {
                _oldId = _session.SessionId;
                _oldNonce = _session.Nonce;
            }

            _session.Close();
            _modelState = ConsentStates.None;
            _in.PowerAllowed = false;
            Assert.Equal(ConsentStates.None, _session.State);
            Assert.Equal("", _session.Nonce);
        }

        private void Events()
        {
            int roll = _r.Next(100);
            if (roll < 2)
            {
                Unplug();
            }
            else if (roll < 22 && !_in.PowerAllowed)
            {
                PlugIn();
            }

            Answers();
            World();
        }

        private void Answers()
        {
            int roll = _r.Next(100);
            bool allow = _r.Next(5) != 0;
            string id = _session.SessionId;
            string nonce = _session.Nonce;
            ModelTimeout();
            if (roll < 10)
            {
                Expect(ExpectedPanel(), _session.AnswerFromPanel(Now, allow), allow);
            }
            else if (roll < 22)
            {
                string preset = _r.Next(4) == 0 ? _presets.Get(_r.Next(_presets.Count)).Name : "";
                Expect(ExpectedRemote(id, nonce), _session.AnswerRemote(Now, id, nonce, allow, preset, Settlement.Unspecified), allow);
            }
            else if (roll < 25)
            {
                string wrong = nonce.Length > 0 ? (nonce[0] == 'f' ? "e" : "f") + nonce[1..] : "00";
                Expect(ExpectedRemote(id, wrong), _session.AnswerRemote(Now, id, wrong, true, "", Settlement.Unspecified), true);
            }
            else if (roll < 27)
            {
                Expect(ExpectedRemote(_oldId, _oldNonce), _session.AnswerRemote(Now, _oldId, _oldNonce, true, "", Settlement.Unspecified), true);
            }
            else if (roll < 29)
            {
                int expected = ExpectedRemote(id, nonce);
                Expect(expected == ConsentResults.Accepted ? ConsentResults.UnknownPreset : expected,
                    _session.AnswerRemote(Now, id, nonce, true, "no-such-preset", Settlement.Unspecified), true);
            }
            else if (roll < 31)
            {
                int expected = ExpectedRemote(id, nonce);
                ChargingConditions invalid = RandomConditions("bad");
                invalid.KeptSocPermille = 1001;
                Expect(expected == ConsentResults.Accepted ? ConsentResults.InvalidConditions : expected,
                    _session.AnswerRemoteWithConditions(Now, id, nonce, true, invalid, Settlement.Unspecified), true);
            }
            else if (roll < 35)
            {
                int expected = _modelState == ConsentStates.None ? ConsentResults.NoSession
                    : _modelTimedOut ? ConsentResults.Expired
                    : _modelState == ConsentStates.Pending ? ConsentResults.Accepted : ConsentResults.NotAvailable;
                Count(expected, _session.SelectNextPreset(Now));
            }
            else if (roll < 37)
            {
                StopSharing(id, nonce);
            }
        }

        private void StopSharing(string id, string nonce)
        {
            bool remote = _r.Next(2) == 0;
            int before = _modelState;
            int result = remote ? _session.StopSharingRemote(Now, id, nonce) : _session.StopSharing(Now);
            int expected = remote && !_consentOptions.RemoteAnswersEnabled ? ConsentResults.RemoteDisabled
                : before == ConsentStates.None ? ConsentResults.NoSession
                : before == ConsentStates.Granted || before == ConsentStates.Pending ? ConsentResults.Accepted
                : _modelTimedOut ? ConsentResults.Expired : ConsentResults.NotSharing;
            Count(expected, result);
            if (result == ConsentResults.Accepted)
            {
                _modelState = before == ConsentStates.Granted ? ConsentStates.Revoked : ConsentStates.Denied;
                _stoppedThisTick = true;
                if (_previousSetpoint < 0)
                {
                    _coverage.StopsWhileDischarging++;
                }
            }
        }

        private void World()
        {
            int floor = _session.State == ConsentStates.None ? 500 : _session.Conditions.KeptSocPermille;
            if (_r.Next(8) == 0)
            {
                _in.PricesValid = _r.Next(10) != 0;
                _in.SellPriceMilli = _session.Conditions.MinSellPriceMilli + _r.Next(-1_000, 5_000);
                _in.BuyPriceMilli = _session.Conditions.MaxBuyPriceMilli + _r.Next(-5_000, 1_000);
            }

            if (_r.Next(6) == 0)
            {
                _in.HasDispatch = _r.Next(5) != 0;
                _in.DispatchSetpointW = _r.Next(3) == 0 ? _r.Next(0, 9_000) : -_r.Next(0, 9_000);
                _in.DispatchRampWps = _r.Next(3) == 0 ? _r.Next(100, 5_000) : 0;
                _in.DispatchHasBuyPrice = _r.Next(4) == 0;
                _in.DispatchHasSellPrice = _r.Next(4) == 0;
                _in.DispatchSellPriceMilli = _session.Conditions.MinSellPriceMilli + _r.Next(-1_000, 5_000);
                _in.DispatchBuyPriceMilli = _session.Conditions.MaxBuyPriceMilli + _r.Next(-5_000, 1_000);
            }

            if (_r.Next(5) == 0)
            {
                _socMode = _r.Next(10) switch { 0 => 2, 1 => 1, _ => 0 };
            }

            if (_socMode == 0 && _r.Next(3) == 0)
            {
                _socReadAtMs = Now;
                _in.SocPermille = _r.Next(4) == 0 ? _r.Next(0, 1001) : Math.Clamp(floor + _r.Next(-20, 100), 0, 1000);
            }

            _in.SocKnown = _socMode != 2;
            _in.SocAgeMs = _socMode == 1 ? Now - _socReadAtMs + _options.SocMaxAgeMs : Now - _socReadAtMs;

            if (_r.Next(50) == 0)
            {
                _in.VehicleMaxDischargeW = _r.Next(4) == 0 ? 0 : _r.Next(1_000, 11_000);
                _in.VehicleMaxChargeW = _r.Next(4) == 0 ? 0 : _r.Next(1_000, 11_000);
                _in.ThermalDeratingPermille = _r.Next(3) == 0 ? _r.Next(0, 1001) : 1000;
                _in.ChargeLimitW = _r.Next(0, 8_000);
                _in.DischargeLimitW = _r.Next(0, 8_000);
                _in.ConverterMaxDischargeW = _r.Next(0, 10_000);
            }

            _in.Fault = _r.Next(100) == 0;
            _in.UtcValid = _r.Next(20) != 0;
        }

        private void Decide()
        {
            _in.MonotonicMs = Now;
            _in.UtcMs = _clock.UtcMs;
            _in.ConsentState = _session.State;
            _in.Conditions = _session.State == ConsentStates.None ? null : _session.Conditions;
            _arbiter.Decide(_in, _out);
        }

        private void Check()
        {
            Assert.Equal(ConsentStates.Name(_modelState), ConsentStates.Name(_session.State));
            int setpoint = _out.SetpointW;
            ChargingConditions c = _session.Conditions;
            bool granted = _session.State == ConsentStates.Granted;
            bool socFresh = _in.SocKnown && _in.SocAgeMs >= 0 && _in.SocAgeMs <= _options.SocMaxAgeMs;
            bool inside = granted && (c.Windows.Count == 0 || (_in.UtcValid && WindowOracle.IsInside(c.Windows, _in.UtcMs, _options.UtcOffsetMinutes)));
            bool sellKnown = _in.DispatchHasSellPrice || _in.PricesValid;
            bool buyKnown = _in.DispatchHasBuyPrice || _in.PricesValid;
            int sell = _in.DispatchHasSellPrice ? _in.DispatchSellPriceMilli : _in.SellPriceMilli;
            int buy = _in.DispatchHasBuyPrice ? _in.DispatchBuyPriceMilli : _in.BuyPriceMilli;
            _coverage.Reasons[_out.Reason]++;
            _coverage.Reasons[_out.LimitReason]++;
            if (granted && c.Windows.Count > 0 && c.Windows.StartMinute(0) >= c.Windows.EndMinute(0))
            {
                _coverage.MidnightWindowTicks++;
            }

            if (setpoint < 0)
            {
                _coverage.DischargeTicks++;
                Assert.True(granted, "discharge without consent");
                Assert.True(_in.PowerAllowed && !_in.Fault, "discharge while not ready");
                Assert.True(socFresh, "discharge with a stale or missing SOC");
                Assert.True(_in.SocPermille > c.KeptSocPermille, "discharge at or below the floor");
                Assert.True(sellKnown && (c.Delegated || sell >= c.MinSellPriceMilli), "discharge below the driver's price or without one");
                Assert.True(sell >= _options.SellPriceFloorMilli, "discharge below the charger's price floor");
                Assert.True(inside, "discharge outside the driver's windows");
                Assert.True(_in.HasDispatch && _out.AggregatorInControl, "discharge without the aggregator's dispatch");
                Assert.True(_in.VehicleMaxDischargeW > 0 && -setpoint <= DischargeCap(), "discharge beyond a limit");
                Assert.False(_stoppedThisTick, "discharge after stop sharing");
            }

            if (_out.AggregatorInControl)
            {
                Assert.True(granted, "aggregator in control without consent");
                Assert.True(socFresh && _in.SocPermille >= c.KeptSocPermille, "aggregator in control without a fresh SOC at or above the floor");
                Assert.True(inside && _in.HasDispatch, "aggregator in control outside the windows or without a dispatch");
                Assert.False(_stoppedThisTick, "aggregator still in control after stop sharing");
                if (setpoint > 0)
                {
                    _coverage.AggregatorChargeTicks++;
                    Assert.True(buyKnown && (c.Delegated || buy <= c.MaxBuyPriceMilli), "aggregator charge above the driver's price or without one");
                    Assert.True(buy <= _options.BuyPriceCeilingMilli, "aggregator charge above the charger's price ceiling");
                }
            }
            else
            {
                Assert.NotEqual(LedgerKind.AggregatorCharge, _out.Kind);
            }

            if (granted && socFresh && _in.SocPermille < c.KeptSocPermille && _in.PowerAllowed && !_in.Fault)
            {
                Assert.Equal(ReasonCodes.Name(ReasonCodes.BelowFloor), ReasonCodes.Name(_out.Reason));
                Assert.True(setpoint >= 0);
            }

            Assert.True(setpoint <= ChargeCap(), "charge beyond a limit");
            Assert.False((_previousSetpoint < 0 && setpoint > 0) || (_previousSetpoint > 0 && setpoint < 0), "sign changed without passing through zero");
            if (_previousSetpoint < 0 && _previousInside && !inside && c.Windows.Count > 0)
            {
                _coverage.WindowEdgesCrossedWhileDischarging++;
            }

            _previousSetpoint = setpoint;
            _previousInside = inside;
        }

        private int ChargeCap()
        {
            if (!_in.PowerAllowed || _in.Fault)
            {
                return 0;
            }

            int cap = Math.Min(_in.ChargeLimitW, _in.ConverterMaxChargeW * _in.ThermalDeratingPermille / 1000);
            return _in.VehicleMaxChargeW > 0 ? Math.Min(cap, _in.VehicleMaxChargeW) : cap;
        }

        private int DischargeCap() =>
            Math.Min(Math.Min(_in.DischargeLimitW, _in.VehicleMaxDischargeW), _in.ConverterMaxDischargeW * _in.ThermalDeratingPermille / 1000);

        private void ModelTimeout()
        {
            if (_modelState == ConsentStates.Pending && Now >= _deadline)
            {
                _modelState = ConsentStates.Denied;
                _modelTimedOut = true;
            }
        }

        private int ExpectedPanel()
        {
            if (_modelState == ConsentStates.None)
            {
                return ConsentResults.NoSession;
            }

            if (_modelTimedOut)
            {
                return ConsentResults.Expired;
            }

            return _modelState == ConsentStates.Pending ? ConsentResults.Accepted : ConsentResults.AlreadyDecided;
        }

        private int ExpectedRemote(string id, string nonce)
        {
            if (!_consentOptions.RemoteAnswersEnabled)
            {
                return ConsentResults.RemoteDisabled;
            }

            if (_modelState == ConsentStates.None)
            {
                return ConsentResults.NoSession;
            }

            if (id != _session.SessionId || id.Length == 0)
            {
                return ConsentResults.WrongSession;
            }

            return nonce != _session.Nonce ? ConsentResults.WrongNonce : ExpectedPanel();
        }

        // Checks an answer's outcome against the model and advances the model on acceptance.
        private void Expect(int expected, int actual, bool allow)
        {
            Count(expected, actual);
            if (actual == ConsentResults.Accepted)
            {
                _modelState = allow ? ConsentStates.Granted : ConsentStates.Denied;
            }
        }

        private void Count(int expected, int actual)
        {
            Assert.Equal(ConsentResults.Name(expected), ConsentResults.Name(actual));
            _coverage.Results[actual]++;
        }

        private ChargingConditions RandomConditions(string name)
        {
            var conditions = new ChargingConditions(name, _r.Next(0, 1001), _r.Next(0, 40_000), _r.Next(0, 40_000), _r.Next(3) == 0, Settlement.Offset + _r.Next(0, 3));
            int windows = _r.Next(0, 3);
            long utc = _clock.UtcMs;

            // Mostly around local now; sometimes around UTC now, which catches an offset applied wrongly.
            int offset = _r.Next(3) == 0 ? 0 : _options.UtcOffsetMinutes;
            for (int i = 0; i < windows; i++)
            {
                int minute = TimeWindows.MinuteOfDay(utc, offset);
                int start = (minute + _r.Next(-2, 8) + 1440) % 1440;
                int end = start + _r.Next(1, 12);
                if (end > 1440)
                {
                    end -= 1440;
                }

                int today = 1 << TimeWindows.DayOfWeek(utc, offset);
                int mask = _r.Next(4) == 0 ? _r.Next(1, 128) : today;
                conditions.Windows.Add(mask, start, end);
            }

            return conditions;
        }
    }
}
