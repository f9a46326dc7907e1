using ChargerFirmware.Conditions;
using ChargerFirmware.Consent;
using ChargerFirmware.Protocol.Messages;

namespace ChargerFirmware.Arbiter
{
    /// <summary>
    /// Decides every tick how much power flows and for whom, so that the aggregator uses the car
    /// only with the driver's consent and within the driver's conditions. Order of the rules:
    /// fault / not ready (0); consent pending (0); no consent (plain charging at the allowed
    /// maximum); consent but no fresh state of charge (plain charging, never discharge: the floor
    /// cannot be proven); below the floor (charge towards it at the allowed maximum, whatever the
    /// dispatch); outside the time windows or wall time unknown (plain charging: the aggregator has
    /// no control); no dispatch (0, the floor is reached); otherwise the dispatch, refused (0) when
    /// the driver's price for its direction is not met, or for a discharge at the floor (resumed only
    /// at floor + hysteresis). Then every limit clamps (cable/pilot, vehicle, converter,
    /// temperature). Rises in magnitude ramp; a reduction ramps only while the dispatch keeps
    /// driving that direction, otherwise it is immediate, so a discharge that loses its permission
    /// stops in the same tick. A change of sign always passes through one tick at 0.
    /// Allocation-free.
    /// </summary>
    public sealed class PowerArbiter
    {
        private const int ChargeAtMaximum = int.MaxValue;

        private readonly ArbiterOptions _options;
        private int _setpointW;
        private long _lastMs;
        private bool _started;
        private bool _floorLatched;
        private bool _dischargePermitted;
        private bool _chargePermitted;
        private int _chargeCapW;
        private int _chargeLimitReason;
        private int _dischargeCapW;
        private int _dischargeLimitReason;

        /// <summary>An arbiter at 0 W using <paramref name="options"/>.</summary>
        public PowerArbiter(ArbiterOptions options)
        {
            _options = options;
        }

        /// <summary>The setpoint of the last decision, W.</summary>
        public int SetpointW
        {
            get { return _setpointW; }
        }

        /// <summary>Forgets the previous plug-in: setpoint 0, no ramp history, floor hysteresis cleared. Call on each plug-in.</summary>
        public void Reset()
        {
            _setpointW = 0;
            _started = false;
            _floorLatched = false;
        }

        /// <summary>Decides this tick's setpoint from <paramref name="input"/> into <paramref name="output"/>. Allocation-free.</summary>
        public void Decide(ArbiterInputs input, ArbiterDecision output)
        {
            long elapsedMs = _started ? input.MonotonicMs - _lastMs : 0;
            if (elapsedMs < 0)
            {
                elapsedMs = 0;
            }
            else if (elapsedMs > _options.MaxRampIntervalMs)
            {
                elapsedMs = _options.MaxRampIntervalMs;
            }

            _lastMs = input.MonotonicMs;
            _started = true;
            output.LimitReason = ReasonCodes.None;
            output.AggregatorInControl = false;
            output.DispatchId = string.Empty;
            if (input.Fault || !input.PowerAllowed)
            {
                Stop(output, input.Fault ? ReasonCodes.Fault : ReasonCodes.NotReady);
                return;
            }

            ComputeLimits(input);
            output.MaxChargeW = _chargeCapW;
            output.MaxDischargeW = _dischargeCapW;
            ChooseTarget(input, output);

            int target = output.TargetW;
            if (target > _chargeCapW)
            {
                target = _chargeCapW;
                output.LimitReason = _chargeLimitReason;
            }
            else if (target < -_dischargeCapW)
            {
                target = -_dischargeCapW;
                output.LimitReason = _dischargeLimitReason;
            }

            output.TargetW = target;
            _setpointW = NextSetpoint(input, output.Reason == ReasonCodes.Dispatch, target, elapsedMs);
            output.SetpointW = _setpointW;
            if (_setpointW > 0)
            {
                output.Kind = output.AggregatorInControl ? LedgerKind.AggregatorCharge : LedgerKind.OwnCharge;
            }
            else
            {
                output.Kind = _setpointW < 0 ? LedgerKind.AggregatorDischarge : LedgerKind.None;
            }
        }

        private void Stop(ArbiterDecision output, int reason)
        {
            _setpointW = 0;
            output.SetpointW = 0;
            output.TargetW = 0;
            output.Reason = reason;
            output.Kind = LedgerKind.None;
            output.MaxChargeW = 0;
            output.MaxDischargeW = 0;
        }

        // The smallest limit wins; on a tie the first in the order cable, vehicle, converter,
        // temperature is named. An unknown vehicle discharge limit (0) allows no discharge.
        private void ComputeLimits(ArbiterInputs input)
        {
            int derating = input.ThermalDeratingPermille;
            if (derating < 0)
            {
                derating = 0;
            }
            else if (derating > 1000)
            {
                derating = 1000;
            }

            _chargeCapW = input.ChargeLimitW;
            _chargeLimitReason = ReasonCodes.LimitedByCable;
            if (input.VehicleMaxChargeW > 0 && input.VehicleMaxChargeW < _chargeCapW)
            {
                _chargeCapW = input.VehicleMaxChargeW;
                _chargeLimitReason = ReasonCodes.LimitedByVehicle;
            }

            LimitCharge(input.ConverterMaxChargeW, ReasonCodes.LimitedByConverter);
            LimitCharge((int)((long)input.ConverterMaxChargeW * derating / 1000), ReasonCodes.LimitedByTemperature);

            _dischargeCapW = input.DischargeLimitW;
            _dischargeLimitReason = ReasonCodes.LimitedByCable;
            LimitDischarge(input.VehicleMaxDischargeW, ReasonCodes.LimitedByVehicle);
            LimitDischarge(input.ConverterMaxDischargeW, ReasonCodes.LimitedByConverter);
            LimitDischarge((int)((long)input.ConverterMaxDischargeW * derating / 1000), ReasonCodes.LimitedByTemperature);
        }

        private void LimitCharge(int limitW, int reason)
        {
            if (limitW < _chargeCapW)
            {
                _chargeCapW = limitW < 0 ? 0 : limitW;
                _chargeLimitReason = reason;
            }
        }

        private void LimitDischarge(int limitW, int reason)
        {
            if (limitW < _dischargeCapW)
            {
                _dischargeCapW = limitW < 0 ? 0 : limitW;
                _dischargeLimitReason = reason;
            }
        }

        /// <summary>
        /// Whether the driver's consent and conditions admit the dispatch in <paramref name="input"/>
        /// now: <see cref="ReasonCodes.Dispatch"/> when they do, else the refusal's reason
        /// (for the dispatch acknowledgement). Changes no state; readiness and limits are not judged
        /// here, since a dispatch may arrive before the vehicle asks for power.
        /// </summary>
        public int Admit(ArbiterInputs input)
        {
            int reason = ConsentReason(input);
            if (reason != ReasonCodes.None)
            {
                return reason == ReasonCodes.PlainCharging ? ReasonCodes.NoConsent : reason;
            }

            ChargingConditions conditions = input.Conditions!;
            int setpoint = input.DispatchSetpointW;
            if (setpoint < 0 && input.SocPermille < conditions.KeptSocPermille)
            {
                return ReasonCodes.BelowFloor;
            }

            reason = WindowReason(input, conditions);
            if (reason != ReasonCodes.None)
            {
                return reason;
            }

            // The latch as Decide would leave it with this SOC (it may have moved since the last tick).
            int floor = conditions.KeptSocPermille;
            bool atFloor = input.SocPermille <= floor
                || (_floorLatched && input.SocPermille < floor + _options.FloorResumeHysteresisPermille && input.SocPermille < 1000);
            return DirectionReason(input, conditions, setpoint, atFloor);
        }

        private void ChooseTarget(ArbiterInputs input, ArbiterDecision output)
        {
            _dischargePermitted = false;
            _chargePermitted = false;
            int reason = ConsentReason(input);
            if (reason == ReasonCodes.None)
            {
                ChooseWithConsent(input, input.Conditions!, output);
            }
            else
            {
                // Awaiting the answer: nothing. Any other lack of (usable) consent: the driver's own charging.
                Target(output, reason == ReasonCodes.AwaitingConsent ? 0 : ChargeAtMaximum, reason);
            }
        }

        // None when consent is granted with a fresh SOC; else why the aggregator has no say.
        private int ConsentReason(ArbiterInputs input)
        {
            int consent = input.ConsentState;
            if (consent == ConsentStates.Pending)
            {
                return ReasonCodes.AwaitingConsent;
            }

            if (consent == ConsentStates.None)
            {
                return ReasonCodes.PlainCharging;
            }

            if (consent != ConsentStates.Granted || input.Conditions == null)
            {
                return ReasonCodes.NoConsent;
            }

            if (!input.SocKnown)
            {
                return ReasonCodes.SocUnknown;
            }

            return input.SocAgeMs < 0 || input.SocAgeMs > _options.SocMaxAgeMs ? ReasonCodes.SocStale : ReasonCodes.None;
        }

        // None inside the driver's windows (or with none set); else why not.
        private int WindowReason(ArbiterInputs input, ChargingConditions conditions)
        {
            if (conditions.Windows.Count == 0)
            {
                return ReasonCodes.None;
            }

            if (!input.UtcValid)
            {
                return ReasonCodes.TimeUnknown;
            }

            return conditions.Windows.IsInside(input.UtcMs, _options.UtcOffsetMinutes) ? ReasonCodes.None : ReasonCodes.OutsideWindow;
        }

        // Dispatch when the prices (unless delegated) and the floor admit a setpoint in this direction.
        private void DirectionReasons(ArbiterInputs input, ChargingConditions conditions, bool atFloor, out int chargeReason, out int dischargeReason)
        {
            bool pricesValid = input.DispatchHasPrices || input.PricesValid;
            int buy = input.DispatchHasPrices ? input.DispatchBuyPriceMilli : input.BuyPriceMilli;
            int sell = input.DispatchHasPrices ? input.DispatchSellPriceMilli : input.SellPriceMilli;
            dischargeReason = ReasonCodes.Dispatch;
            chargeReason = ReasonCodes.Dispatch;
            if (!conditions.Delegated)
            {
                if (!pricesValid)
                {
                    dischargeReason = ReasonCodes.PriceUnknown;
                    chargeReason = ReasonCodes.PriceUnknown;
                }
                else
                {
                    if (sell < conditions.MinSellPriceMilli)
                    {
                        dischargeReason = ReasonCodes.PriceBelowMinimum;
                    }

                    if (buy > conditions.MaxBuyPriceMilli)
                    {
                        chargeReason = ReasonCodes.PriceAboveMaximum;
                    }
                }
            }

            if (atFloor)
            {
                dischargeReason = ReasonCodes.AtFloor;
            }
        }

        private int DirectionReason(ArbiterInputs input, ChargingConditions conditions, int setpoint, bool atFloor)
        {
            int chargeReason;
            int dischargeReason;
            DirectionReasons(input, conditions, atFloor, out chargeReason, out dischargeReason);
            return setpoint < 0 ? dischargeReason : (setpoint > 0 ? chargeReason : ReasonCodes.Dispatch);
        }

        private void ChooseWithConsent(ArbiterInputs input, ChargingConditions conditions, ArbiterDecision output)
        {
            int soc = input.SocPermille;
            int floor = conditions.KeptSocPermille;
            if (soc <= floor)
            {
                _floorLatched = true;
            }
            else if (soc >= floor + _options.FloorResumeHysteresisPermille || soc >= 1000)
            {
                _floorLatched = false;
            }

            if (soc < floor)
            {
                Target(output, ChargeAtMaximum, ReasonCodes.BelowFloor);
                return;
            }

            int windowReason = WindowReason(input, conditions);
            if (windowReason != ReasonCodes.None)
            {
                Target(output, ChargeAtMaximum, windowReason);
                return;
            }

            if (!input.HasDispatch)
            {
                Target(output, 0, ReasonCodes.AwaitingDispatch);
                return;
            }

            int chargeReason;
            int dischargeReason;
            DirectionReasons(input, conditions, _floorLatched, out chargeReason, out dischargeReason);
            _dischargePermitted = dischargeReason == ReasonCodes.Dispatch;
            _chargePermitted = chargeReason == ReasonCodes.Dispatch;
            int setpoint = input.DispatchSetpointW;
            int reason = setpoint < 0 ? dischargeReason : (setpoint > 0 ? chargeReason : ReasonCodes.Dispatch);
            if (reason != ReasonCodes.Dispatch)
            {
                Target(output, 0, reason);
                return;
            }

            Target(output, setpoint, ReasonCodes.Dispatch);
            output.AggregatorInControl = true;
            output.DispatchId = input.DispatchId;
        }

        private static void Target(ArbiterDecision output, int targetW, int reason)
        {
            output.TargetW = targetW;
            output.Reason = reason;
        }

        private int NextSetpoint(ArbiterInputs input, bool followingDispatch, int target, long elapsedMs)
        {
            int previous = _setpointW;
            bool reduction = (previous > 0 && target < previous) || (previous < 0 && target > previous);

            // A reduction may ramp only while the dispatch still drives, and is still allowed to drive,
            // the direction the power flows in; anything else (consent lost, floor, window, price,
            // limit) takes effect at once.
            bool mayRampDown = followingDispatch && (previous > 0 ? _chargePermitted : _dischargePermitted);
            int next;
            if (reduction && !mayRampDown)
            {
                next = target;
            }
            else
            {
                int rate = _options.RampWps;
                if (followingDispatch && input.DispatchRampWps > 0 && input.DispatchRampWps < rate)
                {
                    rate = input.DispatchRampWps;
                }

                long step = (long)rate * elapsedMs / 1000;
                next = target > previous
                    ? (int)(target - previous > step ? previous + step : target)
                    : (int)(previous - target > step ? previous - step : target);
            }

            if ((previous < 0 && next > 0) || (previous > 0 && next < 0))
            {
                next = 0;
            }

            if (next > _chargeCapW)
            {
                next = _chargeCapW;
            }
            else if (next < -_dischargeCapW)
            {
                next = -_dischargeCapW;
            }

            return next;
        }
    }
}
