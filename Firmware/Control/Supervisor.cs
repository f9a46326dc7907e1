using System.Threading;
using ChargerFirmware.Drivers;
using ChargerFirmware.Drivers.Contactor;
using ChargerFirmware.Drivers.Converter;
using ChargerFirmware.Events;

namespace ChargerFirmware.Control
{
    /// <summary>
    /// Watches the control loop from its own thread. When no cycle has started for the stall limit,
    /// it forces the hardware safe (setpoint 0, contactor open) directly, because the loop that
    /// would normally do it is the thing that stopped, and posts a stall event so the loop, if it
    /// ever resumes, latches the loop-stall fault and stays safe until a technician clears it.
    /// </summary>
    public sealed class Supervisor : IWorker
    {
        private readonly ControlLoop _loop;
        private readonly IClock _clock;
        private readonly IConverter _converter;
        private readonly IContactor _contactor;
        private readonly EventQueue _inbox;
        private readonly int _stallMs;
        private Thread? _thread;
        private bool _running;
        private bool _tripped;

        /// <summary>A supervisor for <paramref name="loop"/> that forces the given parts safe after <paramref name="stallMs"/>.</summary>
        public Supervisor(ControlLoop loop, IClock clock, IConverter converter, IContactor contactor, EventQueue inbox, int stallMs)
        {
            _loop = loop;
            _clock = clock;
            _converter = converter;
            _contactor = contactor;
            _inbox = inbox;
            _stallMs = stallMs;
        }

        /// <summary>Times the supervisor forced the safe state since start.</summary>
        public int Trips { get; private set; }

        /// <summary>
        /// Checks the loop once; returns true when it is stalled (and the safe state was forced).
        /// A loop that has not run its first cycle yet is not judged.
        /// </summary>
        public bool Check()
        {
            long last = _loop.LastTickStartMs;
            long now = _clock.MonotonicMs;
            if (last < 0 || now - last < _stallMs)
            {
                _tripped = false;
                return false;
            }

            _converter.SetSetpoint(0);
            _contactor.Drive(false);
            if (!_tripped)
            {
                _tripped = true;
                Trips++;
                _inbox.Post(ControlEventKind.LoopStalled, 0, now, null, null);
            }

            return true;
        }

        /// <summary>True while the worker's thread is running.</summary>
        public bool IsAlive
        {
            get
            {
                System.Threading.Thread? thread = _thread;
                return thread != null && thread.IsAlive;
            }
        }

        /// <summary>Starts checking every quarter of the stall limit on a thread of its own.</summary>
        public void Start()
        {
            _running = true;
            _thread = new Thread(Run);
            _thread.Start();
        }

        /// <summary>Stops the supervisor thread.</summary>
        public void Stop()
        {
            _running = false;
            if (_thread != null)
            {
                _thread.Join();
                _thread = null;
            }
        }

        private void Run()
        {
            int period = _stallMs / 4 > 0 ? _stallMs / 4 : 1;
            while (_running)
            {
                Check();
                Thread.Sleep(period);
            }
        }
    }
}
