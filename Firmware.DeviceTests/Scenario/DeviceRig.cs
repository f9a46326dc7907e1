using ChargerFirmware.App;
using ChargerFirmware.Config;
using ChargerFirmware.Control;
using ChargerFirmware.DeviceTests.Parts;
using ChargerFirmware.Panel;
using ChargerFirmware.Protocol;
using ChargerFirmware.Protocol.Messages;

using DriverPilot = ChargerFirmware.Drivers.Pilot.PilotState;

namespace ChargerFirmware.DeviceTests.Scenario
{
    /// <summary>
    /// One charger: the stand-in parts, built first, and the whole <see cref="ChargerApp"/> over them
    /// (<see cref="Boot"/>), stepped by hand on <see cref="StepClock"/> one control tick at a time, each
    /// followed by a round of the link, the console and the panel, as their threads would run them.
    /// The aggregator's messages are encoded with the contract's codec and delivered as the MQTT
    /// client's receive thread would (each payload a new array).
    /// </summary>
    public sealed class DeviceRig
    {
        /// <summary>Room of each flash file (the ledger's journal grows inside it).</summary>
        public const int FlashFileBytes = 8 * 1024;

        private readonly MessageCodec _aggregatorCodec;
        private readonly byte[] _out = new byte[MessageCodec.MaxPayloadLength];
        private long _ackLedgerUpTo;

        /// <summary>The parts; the app comes with <see cref="Boot"/>.</summary>
        public DeviceRig()
        {
            Clock = new StepClock();
            Pilot = new CarPilot();
            Gear = new Switchgear();
            Converter = new FollowingConverter();
            Modem = new CarModem(Clock);
            Entropy = new SeededEntropy(0x2027);
            Storage = new RamStorage(FlashFileBytes);
            ConsoleLine = new ConsoleLine();
            Panel = new TouchPanel();
            Topics = new Topics(Topics.DefaultPrefix, new ChargerConfig().ChargerId);
            Aggregator = new AggregatorSide(Topics);
            Transport = new LoopbackTransport(Aggregator);
            _aggregatorCodec = new MessageCodec(Topics.ChargerId);
            Hardware = new ChargerHardware();
            Hardware.Clock = Clock;
            Hardware.PilotSampler = Pilot;
            Hardware.PilotPwm = Pilot;
            Hardware.Contactor = Gear;
            Hardware.Rcd = Gear;
            Hardware.Converter = Converter;
            Hardware.Modem = Modem;
            Hardware.Temperature = Gear;
            Hardware.Proximity = Gear;
            Hardware.Entropy = Entropy;
            Hardware.Storage = Storage;
        }

        /// <summary>Time.</summary>
        public StepClock Clock { get; private set; }

        /// <summary>The pilot line and the car on it.</summary>
        public CarPilot Pilot { get; private set; }

        /// <summary>Contactor, RCD, temperature, cable.</summary>
        public Switchgear Gear { get; private set; }

        /// <summary>The bidirectional converter.</summary>
        public FollowingConverter Converter { get; private set; }

        /// <summary>The car's power-line link.</summary>
        public CarModem Modem { get; private set; }

        /// <summary>Random bytes and the reboot line.</summary>
        public SeededEntropy Entropy { get; private set; }

        /// <summary>Flash.</summary>
        public RamStorage Storage { get; private set; }

        /// <summary>The technician's serial line.</summary>
        public ConsoleLine ConsoleLine { get; private set; }

        /// <summary>The driver's panel.</summary>
        public TouchPanel Panel { get; private set; }

        /// <summary>The charger's topics (default charger id).</summary>
        public Topics Topics { get; private set; }

        /// <summary>The aggregator's side of the broker.</summary>
        public AggregatorSide Aggregator { get; private set; }

        /// <summary>The charger's MQTT client.</summary>
        public LoopbackTransport Transport { get; private set; }

        /// <summary>The parts as the app takes them.</summary>
        public ChargerHardware Hardware { get; private set; }

        /// <summary>The charger, once booted.</summary>
        public ChargerApp App { get; private set; } = null!;

        /// <summary>A new whole charger over the parts (the device's composition, its workers not started).</summary>
        public ChargerApp Compose()
        {
            return new ChargerApp(Hardware, Transport, ConsoleLine, Entropy, Panel);
        }

        /// <summary>Powers the charger up: composes it and greets the console.</summary>
        public void Boot()
        {
            App = Compose();
            App.Console.Greet();
        }

        /// <summary>Drops the charger (as a power cut would; the flash keeps what it wrote).</summary>
        public void PowerOff()
        {
            App = null!;
            Transport.Receiver = null;
            Transport.Disconnect();
        }

        /// <summary>One control tick, then a round of the link, the console and the panel.</summary>
        public void Step()
        {
            Tick();
            Service();
        }

        /// <summary>One control tick: time moves a period, energy flows at the setpoint, the loop runs once.</summary>
        public void Tick()
        {
            Clock.Advance(App.Config.TickMs);
            Converter.Run(App.Config.TickMs);
            App.Loop.RunOnce();
        }

        /// <summary>A round of the link (with any ledger ack the aggregator sent), the console and the panel.</summary>
        public void Service()
        {
            if (_ackLedgerUpTo > 0)
            {
                long upTo = _ackLedgerUpTo;
                _ackLedgerUpTo = 0;
                LedgerAckMessage ack = new LedgerAckMessage();
                ack.UpTo = upTo;
                Send(MessageKind.LedgerAck, ack);
            }

            App.Link.Step(Clock.MonotonicMs);
            App.Console.Poll(0);
            PanelWorkerPoll();
        }

        /// <summary>Runs <paramref name="ms"/> of time in ticks.</summary>
        public void Run(int ms)
        {
            for (int elapsed = 0; elapsed < ms; elapsed += App.Config.TickMs)
            {
                Step();
            }
        }

        /// <summary>A car arrives: pilot B, and its power-line link matches.</summary>
        public void PlugIn()
        {
            Pilot.CarState = DriverPilot.B;
            Modem.Matched = true;
        }

        /// <summary>The car asks for power (pilot C).</summary>
        public void AskPower()
        {
            Pilot.CarState = DriverPilot.C;
        }

        /// <summary>The car leaves: pilot A, no link.</summary>
        public void Unplug()
        {
            Pilot.CarState = DriverPilot.A;
            Modem.Matched = false;
        }

        /// <summary>
        /// A car plugs in, the driver answers on the panel and the car asks for power; with
        /// <paramref name="share"/>, prices arrive and the aggregator orders a 3 kW discharge for
        /// <paramref name="durationS"/> (id <paramref name="dispatchId"/>, the next sequence number).
        /// Ten seconds later the charger is charging (declined) or discharging (shared).
        /// </summary>
        public void PlugIn(bool share, string dispatchId, int durationS)
        {
            PlugIn();
            Run(1000);
            Panel.Tap(share ? PanelKeys.Allow : PanelKeys.Deny);
            Run(200);
            AskPower();
            Run(1000);
            if (share)
            {
                SendPrices(12500, 30000);
                SendDispatch(dispatchId, App.Policy.Dispatch.HighestSeq + 1, -3000, durationS, 30000);
            }

            Run(10000);
        }

        /// <summary>The aggregator publishes prices valid for a day from now.</summary>
        public void SendPrices(long buyMilli, long sellMilli)
        {
            PricesMessage prices = new PricesMessage();
            prices.ValidFromMs = Clock.UtcMs - 60000;
            prices.ValidToMs = Clock.UtcMs + 86400000;
            prices.BuyPriceMilli = buyMilli;
            prices.SellPriceMilli = sellMilli;
            prices.Currency = App.Config.Currency;
            Send(MessageKind.Prices, prices);
        }

        /// <summary>The aggregator publishes a dispatch to this charger, issued now.</summary>
        public void SendDispatch(string id, long seq, int setpointW, int durationS, long sellPriceMilli)
        {
            Send(MessageKind.Dispatch, NewDispatch(id, seq, setpointW, durationS, sellPriceMilli));
        }

        /// <summary>A dispatch as the aggregator writes it (every field), issued now.</summary>
        public DispatchMessage NewDispatch(string id, long seq, int setpointW, int durationS, long sellPriceMilli)
        {
            DispatchMessage order = new DispatchMessage();
            order.Id = id;
            order.Seq = seq;
            order.IssuedAtMs = Clock.UtcMs;
            order.DurationS = durationS;
            order.SetpointW = setpointW;
            order.HasRampWps = true;
            order.RampWps = 2000;
            order.HasSellPrice = true;
            order.SellPriceMilli = sellPriceMilli;
            order.Currency = App.Config.Currency;
            order.ChargerId = Topics.ChargerId;
            return order;
        }

        /// <summary>The aggregator acknowledges the ledger up to <paramref name="upTo"/> (delivered at the next step).</summary>
        public void AckLedger(long upTo)
        {
            _ackLedgerUpTo = upTo;
        }

        /// <summary>Encodes <paramref name="message"/> as the aggregator and delivers it on its topic.</summary>
        public void Send(int kind, Message message)
        {
            int length = _aggregatorCodec.Encode(message, _out);
            byte[] payload = new byte[length];
            for (int i = 0; i < length; i++)
            {
                payload[i] = _out[i];
            }

            Transport.Deliver(Topics.ForKind(kind)!, payload);
        }

        private void PanelWorkerPoll()
        {
            if (App.Panel != null)
            {
                App.Panel.Poll();
            }
        }
    }
}
