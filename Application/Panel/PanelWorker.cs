using System.Threading;
using ChargerFirmware.Drivers;
using ChargerFirmware.Drivers.Panel;
using ChargerFirmware.Events;

namespace ChargerFirmware.Panel
{
    /// <summary>
    /// Runs the driver's panel on a thread of its own: takes the charger's facts, lets the
    /// <see cref="DriverPanel"/> redraw when something it shows changed, sends the frame to the display
    /// and hands taps to the panel, whose decisions go into the control loop as events. Slow display
    /// writes and string building never hold up the loop.
    /// </summary>
    public sealed class PanelWorker : IWorker
    {
        /// <summary>How often the panel is polled for touches and changes, ms.</summary>
        public const int PeriodMs = 50;

        private readonly DriverPanel _panel;
        private readonly ITextPanel _display;
        private readonly IClock _clock;
        private readonly object _gate = new object();
        private bool _running;
        private Thread? _thread;

        /// <summary>A worker showing <paramref name="panel"/> on <paramref name="display"/>, timed by <paramref name="clock"/>.</summary>
        public PanelWorker(DriverPanel panel, ITextPanel display, IClock clock)
        {
            _panel = panel;
            _display = display;
            _clock = clock;
        }

        /// <summary>The screens.</summary>
        public DriverPanel Panel
        {
            get { return _panel; }
        }

        /// <inheritdoc />
        public bool IsAlive
        {
            get
            {
                Thread? thread = _thread;
                return thread != null && thread.IsAlive;
            }
        }

        /// <summary>One pass: redraws if the screen changed, then reads a tap and acts on it (redrawing at once).</summary>
        public void Poll()
        {
            long now = _clock.MonotonicMs;
            if (_panel.Update(now))
            {
                _display.Show(_panel.Frame);
            }

            int button = _display.ReadButton(_panel.Frame);
            if (button != TouchButtonTracker.NoButton)
            {
                _panel.Press(button, now);
                if (_panel.Update(now))
                {
                    _display.Show(_panel.Frame);
                }
            }
        }

        /// <inheritdoc />
        public void Start()
        {
            lock (_gate)
            {
                _running = true;
            }

            _thread = new Thread(Run);
            _thread.Start();
        }

        /// <inheritdoc />
        public void Stop()
        {
            lock (_gate)
            {
                _running = false;
            }

            Thread? thread = _thread;
            if (thread != null)
            {
                thread.Join();
                _thread = null;
            }
        }

        private bool Running
        {
            get
            {
                lock (_gate)
                {
                    return _running;
                }
            }
        }

        private void Run()
        {
            while (Running)
            {
                Poll();
                Thread.Sleep(PeriodMs);
            }
        }
    }
}
