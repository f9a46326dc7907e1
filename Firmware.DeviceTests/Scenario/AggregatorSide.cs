using ChargerFirmware.DeviceTests.Parts;
using ChargerFirmware.Protocol;
using ChargerFirmware.Protocol.Messages;

namespace ChargerFirmware.DeviceTests.Scenario
{
    /// <summary>
    /// The aggregator's end of the loopback broker: decodes what the charger publishes with the same
    /// codec and, while <see cref="Recording"/>, writes one transcript line per message that tells
    /// the story (acks, events, ledger records, a status whose state changed). It keeps what the
    /// scenario checks: the last ack, the last ledger id, counts per topic. Quiet (no transcript) it
    /// allocates nothing, so it can stand by while allocations are counted.
    /// </summary>
    public sealed class AggregatorSide : IPublishSink
    {
        private readonly Topics _topics;
        private readonly MessageCodec _codec;
        private readonly DispatchAckMessage _ack = new DispatchAckMessage();
        private readonly EventMessage _event = new EventMessage();
        private readonly LedgerMessage _ledger = new LedgerMessage();
        private readonly StatusMessage _status = new StatusMessage();
        private readonly int[] _counts = new int[MessageKind.Count];
        private IReport? _report;
        private int _lastState;

        /// <summary>The aggregator of charger <paramref name="topics"/>.</summary>
        public AggregatorSide(Topics topics)
        {
            _topics = topics;
            _codec = new MessageCodec(topics.ChargerId);
        }

        /// <summary>Writes transcript lines into <paramref name="report"/>, or stops when null.</summary>
        public void Record(IReport? report)
        {
            _report = report;
        }

        /// <summary>True while transcript lines are written.</summary>
        public bool Recording
        {
            get { return _report != null; }
        }

        /// <summary>Status of the last dispatch ack (a <see cref="DispatchStatus"/> constant), 0 before any.</summary>
        public int LastAckStatus;

        /// <summary>Id of the last ledger record received, 0 before any.</summary>
        public long LastLedgerId;

        /// <summary>Type of the last event (an <see cref="EventType"/> constant), 0 before any.</summary>
        public int LastEvent;

        /// <summary>State in the last status (a <see cref="ChargerState"/> constant), 0 before any.</summary>
        public int LastState
        {
            get { return _lastState; }
        }

        /// <summary>Messages received on the topic of <paramref name="kind"/> (a <see cref="MessageKind"/> constant).</summary>
        public int Count(int kind)
        {
            return _counts[kind];
        }

        /// <inheritdoc />
        public void Published(string topic, byte[] payload, int length)
        {
            int kind = _topics.Classify(topic);
            _counts[kind]++;
            if (_report == null)
            {
                return;
            }

            string? reason;
            switch (kind)
            {
                case MessageKind.DispatchAck:
                    if (_codec.TryDecode(payload, length, _ack, out reason))
                    {
                        LastAckStatus = _ack.Status;
                        Say("ack " + _ack.Id + " " + DispatchStatus.Names.Name(_ack.Status) + " reason=" + Text(_ack.Reason) + " appliedW=" + _ack.AppliedW.ToString());
                    }
                    else
                    {
                        Say("undecodable ack: " + reason);
                    }

                    break;
                case MessageKind.Event:
                    if (_codec.TryDecode(payload, length, _event, out reason))
                    {
                        LastEvent = _event.Type;
                        string line = "event " + EventType.Names.Name(_event.Type);
                        if (_event.Type == EventType.SessionEnded)
                        {
                            line += " importWh=" + _event.ImportWh.ToString() + " exportWh=" + _event.ExportWh.ToString()
                                + " purchaseMilli=" + _event.PurchaseMilli.ToString() + " earningsMilli=" + _event.EarningsMilli.ToString()
                                + " netMilli=" + _event.NetMilli.ToString() + " " + Text(_event.Currency);
                        }

                        Say(line);
                    }
                    else
                    {
                        Say("undecodable event: " + reason);
                    }

                    break;
                case MessageKind.Ledger:
                    if (_codec.TryDecode(payload, length, _ledger, out reason))
                    {
                        LastLedgerId = _ledger.Id;
                        Say("ledger " + _ledger.Id.ToString() + " " + LedgerKind.Names.Name(_ledger.EntryKind) + " wh=" + _ledger.Wh.ToString()
                            + " priceMilli=" + _ledger.PriceMilli.ToString() + " amountMilli=" + _ledger.AmountMilli.ToString()
                            + " dispatch=" + Text(_ledger.DispatchId));
                    }
                    else
                    {
                        Say("undecodable ledger record: " + reason);
                    }

                    break;
                case MessageKind.Status:
                    if (_codec.TryDecode(payload, length, _status, out reason))
                    {
                        if (_status.State != _lastState)
                        {
                            _lastState = _status.State;
                            Say("status " + ChargerState.Names.Name(_status.State) + " setpointW=" + _status.SetpointW.ToString() + " reason=" + Text(_status.Reason));
                        }
                    }
                    else
                    {
                        Say("undecodable status: " + reason);
                    }

                    break;
            }
        }

        private void Say(string line)
        {
            IReport? report = _report;
            if (report != null)
            {
                report.Line(line);
            }
        }

        private static string Text(string? text)
        {
            return text == null ? "null" : text;
        }
    }
}
