using System;

namespace ChargerFirmware.Drivers.Temperature
{
    /// <summary>
    /// Over-temperature derating (OpenEVSE's steps): at 65 C halve the power, at 68 C quarter it, at
    /// 71 C stop with an over-temperature fault. A step is taken as soon as its threshold is reached
    /// and left only when the temperature is below that threshold minus the hysteresis, so power does not pump at a
    /// threshold. No allocation.
    /// </summary>
    public sealed class ThermalDerating
    {
        /// <summary>Default threshold to halve power, in deci-Celsius (65.0 C).</summary>
        public const int DefaultHalveAtDeciC = 650;

        /// <summary>Default threshold to quarter power, in deci-Celsius (68.0 C).</summary>
        public const int DefaultQuarterAtDeciC = 680;

        /// <summary>Default threshold to stop with a fault, in deci-Celsius (71.0 C).</summary>
        public const int DefaultStopAtDeciC = 710;

        /// <summary>Default hysteresis on the way down, in deci-Celsius (2.0 C).</summary>
        public const int DefaultHysteresisDeciC = 20;

        private const int Full = 0;
        private const int Halved = 1;
        private const int Quartered = 2;
        private const int Stopped = 3;

        private readonly int _halveAtDeciC;
        private readonly int _quarterAtDeciC;
        private readonly int _stopAtDeciC;
        private readonly int _hysteresisDeciC;
        private int _step;

        /// <summary>Derating with the default thresholds (65 / 68 / 71 C) and hysteresis (2 C).</summary>
        public ThermalDerating()
            : this(DefaultHalveAtDeciC, DefaultQuarterAtDeciC, DefaultStopAtDeciC, DefaultHysteresisDeciC)
        {
        }

        /// <summary>Derating with rising thresholds and a hysteresis (not negative), all in deci-Celsius.</summary>
        public ThermalDerating(int halveAtDeciC, int quarterAtDeciC, int stopAtDeciC, int hysteresisDeciC)
        {
            if (quarterAtDeciC <= halveAtDeciC || stopAtDeciC <= quarterAtDeciC)
            {
                throw new ArgumentException("thresholds must rise: halve < quarter < stop");
            }

            if (hysteresisDeciC < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(hysteresisDeciC));
            }

            _halveAtDeciC = halveAtDeciC;
            _quarterAtDeciC = quarterAtDeciC;
            _stopAtDeciC = stopAtDeciC;
            _hysteresisDeciC = hysteresisDeciC;
        }

        /// <summary>The power allowed now, in per-mille of the normal limit: 1000, 500, 250 or 0.</summary>
        public int AllowedPermille
        {
            get
            {
                switch (_step)
                {
                    case Full:
                        return 1000;
                    case Halved:
                        return 500;
                    case Quartered:
                        return 250;
                    default:
                        return 0;
                }
            }
        }

        /// <summary>True from the stop threshold until the temperature is below it minus the hysteresis: stop and report a fault.</summary>
        public bool OverTemperature
        {
            get { return _step == Stopped; }
        }

        /// <summary>Feeds a reading in deci-Celsius; returns <see cref="AllowedPermille"/>.</summary>
        public int Update(int deciCelsius)
        {
            int rising = StepAt(deciCelsius);
            if (rising >= _step)
            {
                _step = rising;
            }
            else
            {
                // Falling: stay on a step until the reading is the hysteresis below its threshold.
                int falling = StepAt(deciCelsius + _hysteresisDeciC);
                if (falling < _step)
                {
                    _step = falling;
                }
            }

            return AllowedPermille;
        }

        private int StepAt(int deciCelsius)
        {
            if (deciCelsius >= _stopAtDeciC)
            {
                return Stopped;
            }

            if (deciCelsius >= _quarterAtDeciC)
            {
                return Quartered;
            }

            if (deciCelsius >= _halveAtDeciC)
            {
                return Halved;
            }

            return Full;
        }
    }
}
