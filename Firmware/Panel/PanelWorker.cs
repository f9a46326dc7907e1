using System.Threading;
using ChargerFirmware.Drivers.Panel;
using ChargerFirmware.Events;

namespace ChargerFirmware.Panel
{
    /// <summary>
    /// Keeps the driver's panel in step with the session on a thread of its own: redraws when the
    /// screen model changed and turns touches into panel taps posted into the control loop. Slow
    /// display writes never hold up the loop.
    /// </summary>
    public sealed class PanelWorker : IWorker
    {
        /// <summary>How often the panel is polled for touches and changes, ms.</summary>
        public const int PeriodMs = 50;

        private readonly IPanelModel _model;
        private readonly ITextPanel _panel;
        private readonly EventQueue _inbox;
        private readonly string[] _lines = new string[ConsentScreen.Height];
        private readonly object _gate = new object();
        private int _shownVersion = -1;
        private bool _running;
        private Thread? _thread;

        /// <summary>A worker drawing <paramref name="model"/>'s screen on <paramref name="panel"/> and posting its taps into <paramref name="inbox"/>.</summary>
        public PanelWorker(IPanelModel model, ITextPanel panel, EventQueue inbox)
        {
            _model = model;
            _panel = panel;
            _inbox = inbox;
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

        /// <summary>Redraws if the screen changed and posts a tap if a button was released; one pass of the worker.</summary>
        public void Poll()
        {
            int version = _model.CopyPanel(_lines);
            if (version != _shownVersion)
            {
                _panel.Show(_lines, _lines.Length, _model.Screen);
                _shownVersion = version;
            }

            int button = _panel.ReadButton(_model.Screen);
            if (button != PanelButtons.None)
            {
                _inbox.Post(ControlEventKind.PanelTap, button, 0, null, null);
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
