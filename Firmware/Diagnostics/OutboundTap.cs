using ChargerFirmware.Dispatch;
using ChargerFirmware.Events;
using ChargerFirmware.Protocol.Messages;

namespace ChargerFirmware.Diagnostics
{
    /// <summary>
    /// What the thread that drains the control loop's outbox shows the technician: every notice goes
    /// to the <see cref="EventLog"/>, every dispatch acknowledgement to the <see cref="RecentAcks"/>.
    /// One call per notice taken; the loop itself pays nothing.
    /// </summary>
    public sealed class OutboundTap
    {
        private readonly EventLog _log;
        private readonly RecentAcks _acks;

        /// <summary>A tap feeding <paramref name="log"/> and <paramref name="acks"/>.</summary>
        public OutboundTap(EventLog log, RecentAcks acks)
        {
            _log = log;
            _acks = acks;
        }

        /// <summary>Records <paramref name="outbound"/>, a notice just taken from the outbox.</summary>
        public void Observe(ControlEvent outbound)
        {
            _log.Record(outbound);
            DispatchAckMessage? ack = outbound.Payload as DispatchAckMessage;
            if (outbound.Kind == OutboundKind.DispatchAck && ack != null)
            {
                _acks.Record(ack);
            }
        }
    }
}
