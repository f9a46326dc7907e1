using ChargerFirmware.Drivers.Converter;

namespace ChargerFirmware.Ledger
{
    /// <summary>
    /// Integer import and export Wh of one session. Each direction uses the converter's cumulative
    /// counter when it has one (<see cref="ConverterReading.ImportWh"/> / <see cref="ConverterReading.ExportWh"/>,
    /// -1 when absent) and otherwise integrates power: trapezoid of the two readings around each
    /// interval, accumulated exactly in half-W·ms with the sub-Wh remainder carried, so no drift
    /// however long the session. A counter that goes backwards (reset, wrap) or jumps beyond what
    /// the converter could deliver never creates or loses energy: that interval is integrated from
    /// power instead, the counter re-baselined, and the anomaly counted.
    /// Allocation-free; one call per control tick.
    /// </summary>
    public sealed class SessionMeter
    {
        /// <summary>Default bound on plausible power, W: a counter step needing more is treated as a glitch.</summary>
        public const int DefaultMaxPlausibleW = 400000;

        private const long MsPerHour = 3600000;

        private readonly EnergyChannel _import = new EnergyChannel();
        private readonly EnergyChannel _export = new EnergyChannel();
        private readonly long _maxPlausibleW;
        private bool _started;
        private long _lastMs;
        private int _lastPowerW;

        /// <summary>A meter that trusts counter steps up to <see cref="DefaultMaxPlausibleW"/>.</summary>
        public SessionMeter()
            : this(DefaultMaxPlausibleW)
        {
        }

        /// <summary>A meter that trusts counter steps up to <paramref name="maxPlausibleW"/> sustained over the interval.</summary>
        public SessionMeter(int maxPlausibleW)
        {
            _maxPlausibleW = maxPlausibleW;
        }

        /// <summary>Energy into the car since <see cref="Start(long, int, long, long)"/>, Wh.</summary>
        public long ImportWh
        {
            get { return _import.Wh; }
        }

        /// <summary>Energy out of the car since start, Wh.</summary>
        public long ExportWh
        {
            get { return _export.Wh; }
        }

        /// <summary>True when the last interval's import came from the converter's counter (false: integrated).</summary>
        public bool ImportFromCounter
        {
            get { return _import.FromCounter; }
        }

        /// <summary>True when the last interval's export came from the converter's counter (false: integrated).</summary>
        public bool ExportFromCounter
        {
            get { return _export.FromCounter; }
        }

        /// <summary>Times a counter went backwards (reset or wrap) this session.</summary>
        public int CounterWentBackwards { get; private set; }

        /// <summary>Times a counter jumped further than the converter could deliver this session.</summary>
        public int CounterJumped { get; private set; }

        /// <summary>True between start and the next start.</summary>
        public bool Started
        {
            get { return _started; }
        }

        /// <summary>Starts a session at monotonic <paramref name="nowMs"/> from a converter reading.</summary>
        public void Start(long nowMs, ConverterReading reading)
        {
            Start(nowMs, reading.PowerW, reading.ImportWh, reading.ExportWh);
        }

        /// <summary>Starts a session at monotonic <paramref name="nowMs"/>: zero energy, counters as baselines (-1: absent).</summary>
        public void Start(long nowMs, int powerW, long importCounterWh, long exportCounterWh)
        {
            _import.Reset(importCounterWh, nowMs);
            _export.Reset(exportCounterWh, nowMs);
            CounterWentBackwards = 0;
            CounterJumped = 0;
            _lastMs = nowMs;
            _lastPowerW = powerW;
            _started = true;
        }

        /// <summary>Adds the energy since the last call from a converter reading.</summary>
        public void Update(long nowMs, ConverterReading reading)
        {
            Update(nowMs, reading.PowerW, reading.ImportWh, reading.ExportWh);
        }

        /// <summary>
        /// Adds the energy since the last call: counter steps, or the trapezoid of <paramref name="powerW"/>
        /// (+ into the car) and the previous reading over the elapsed monotonic ms. Starts the session when not started.
        /// </summary>
        public void Update(long nowMs, int powerW, long importCounterWh, long exportCounterWh)
        {
            if (!_started)
            {
                Start(nowMs, powerW, importCounterWh, exportCounterWh);
                return;
            }

            long elapsedMs = nowMs > _lastMs ? nowMs - _lastMs : 0;
            long lastIn = _lastPowerW > 0 ? _lastPowerW : 0;
            long nowIn = powerW > 0 ? powerW : 0;
            long lastOut = _lastPowerW < 0 ? -(long)_lastPowerW : 0;
            long nowOut = powerW < 0 ? -(long)powerW : 0;
            Note(_import.Advance(importCounterWh, (lastIn + nowIn) * elapsedMs, nowMs, _maxPlausibleW));
            Note(_export.Advance(exportCounterWh, (lastOut + nowOut) * elapsedMs, nowMs, _maxPlausibleW));
            if (nowMs > _lastMs)
            {
                _lastMs = nowMs;
            }

            _lastPowerW = powerW;
        }

        private void Note(int anomaly)
        {
            if (anomaly == EnergyChannel.WentBackwards)
            {
                CounterWentBackwards++;
            }
            else if (anomaly == EnergyChannel.Jumped)
            {
                CounterJumped++;
            }
        }

        // One direction of energy: its counter baseline, its Wh and the integration remainder.
        private sealed class EnergyChannel
        {
            internal const int Fine = 0;
            internal const int WentBackwards = 1;
            internal const int Jumped = 2;

            private const long HalfWattMsPerWh = 2 * MsPerHour;

            internal long Wh;
            internal bool FromCounter;
            private long _lastCounter = -1;
            private long _lastCounterMs;
            private long _halfWattMs;

            internal void Reset(long counterWh, long nowMs)
            {
                Wh = 0;
                _lastCounter = counterWh;
                _lastCounterMs = nowMs;
                _halfWattMs = 0;
                FromCounter = counterWh >= 0;
            }

            // Adds one interval: the counter step when both ends have a plausible counter, else the
            // integrated energy (sum of the interval's end powers x ms, i.e. twice the trapezoid).
            // A polled counter moves in bursts (it may read the same for a while, then catch up), so
            // a step is judged against the time since the counter last moved, not since the last tick.
            internal int Advance(long counterWh, long doubledWattMs, long nowMs, long maxPlausibleW)
            {
                int anomaly = Fine;
                if (counterWh >= 0 && _lastCounter >= 0)
                {
                    long step = counterWh - _lastCounter;
                    long plausibleWh = maxPlausibleW * (nowMs - _lastCounterMs) / MsPerHour + 1;
                    if (step >= 0 && step <= plausibleWh)
                    {
                        Wh += step;
                        _lastCounter = counterWh;
                        if (step > 0)
                        {
                            _lastCounterMs = nowMs;
                        }

                        FromCounter = true;
                        return Fine;
                    }

                    anomaly = step < 0 ? WentBackwards : Jumped;
                }

                _lastCounter = counterWh;
                _lastCounterMs = nowMs;
                FromCounter = false;
                _halfWattMs += doubledWattMs;
                long whole = _halfWattMs / HalfWattMsPerWh;
                Wh += whole;
                _halfWattMs -= whole * HalfWattMsPerWh;
                return anomaly;
            }
        }
    }
}
