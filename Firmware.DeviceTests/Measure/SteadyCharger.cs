using ChargerFirmware.DeviceTests.Scenario;
using ChargerFirmware.Protocol;
using ChargerFirmware.Protocol.Messages;

namespace ChargerFirmware.DeviceTests.Measure
{
    /// <summary>
    /// One control tick of the whole charger held in a steady state (idle, charging for itself, or
    /// discharging under a day-long dispatch). The tick is what the control loop's thread does every
    /// period: time moves, energy flows, <c>ControlLoop.RunOnce</c>. Between batches the link, the
    /// console and the panel take their turn, as their threads would.
    /// </summary>
    public sealed class SteadyCharger : Operation
    {
        private readonly string _name;

        private SteadyCharger(string name)
        {
            _name = name;
            Rig = new DeviceRig();
            Rig.Boot();
            Rig.Run(1000);
        }

        /// <summary>The charger.</summary>
        public DeviceRig Rig { get; private set; }

        /// <inheritdoc />
        public override string Name
        {
            get { return _name; }
        }

        /// <inheritdoc />
        public override int Runs
        {
            get { return 16384; }
        }

        /// <summary>No car: the charger watches pilot, RCD, converter and modem.</summary>
        public static SteadyCharger Idle()
        {
            return new SteadyCharger("control tick, idle");
        }

        /// <summary>The driver declined sharing: plain charging at the allowed maximum.</summary>
        public static SteadyCharger Charging()
        {
            SteadyCharger steady = new SteadyCharger("control tick, charging");
            steady.Rig.PlugIn(false, string.Empty, 0);
            steady.Expect(ChargerState.Charging);
            return steady;
        }

        /// <summary>Consent, prices and a day-long 3 kW discharge order.</summary>
        public static SteadyCharger Discharging()
        {
            SteadyCharger steady = new SteadyCharger("control tick, discharging (dispatch)");
            steady.Rig.PlugIn(true, "d-steady", Limits.MaxDurationS);
            steady.Expect(ChargerState.Discharging);
            return steady;
        }

        /// <inheritdoc />
        public override void Run()
        {
            Rig.Tick();
        }

        /// <inheritdoc />
        public override void Maintain()
        {
            Rig.Service();
        }

        private void Expect(int state)
        {
            if (Rig.App.Charger.State != state)
            {
                throw new System.InvalidOperationException(_name + ": settled in state " + ChargerState.Names.Name(Rig.App.Charger.State));
            }
        }
    }
}
