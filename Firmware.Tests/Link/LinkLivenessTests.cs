using ChargerFirmware.Config;
using ChargerFirmware.Events;
using ChargerFirmware.Protocol.Messages;
using ChargerFirmware.Tests.Support;
using Xunit;

namespace ChargerFirmware.Tests.Link;

/// <summary>
/// The link trusts the broker only as far as it proves it is alive: proofs are noted, a quiet broker
/// is probed on the link's own schedule whatever the charger sends, an unanswered request ends the
/// connection, and the control loop bounds an order by the last proof alone.
/// </summary>
public class LinkLivenessTests
{
    [Fact]
    public void Every_answer_of_the_broker_is_a_proof_of_life()
    {
        var rig = new LinkRig();
        rig.Step(1_000);
        Assert.Equal(1_000, rig.Liveness.LastProofMs);

        rig.Step(500);
        rig.Transport.Deliver(LinkRig.Root + "/prices", "{}");
        Assert.Equal(1_500, rig.Liveness.LastProofMs);
        rig.Step();
        Assert.Equal(1_500, rig.Link.Status.LastProofMs);
    }

    [Fact]
    public void A_quiet_broker_is_probed_on_the_links_own_schedule_even_while_the_charger_publishes()
    {
        var rig = new LinkRig(c => c.BrokerProbeMs = 5_000);
        rig.Status.SessionId = "s-1";
        rig.Step();
        rig.Transport.AcksLater = true;

        // Telemetry (QoS 0) keeps leaving every 10 s, which tells nothing about the broker.
        for (int i = 0; i < 10; i++)
        {
            rig.Step(1_000);
        }

        Assert.NotEmpty(rig.On("telemetry"));
        Assert.Equal(2, rig.Transport.Probes);
        Assert.Equal(10_000, rig.Liveness.LastProofMs);
    }

    [Fact]
    public void A_frozen_broker_is_given_up_after_the_answer_time_whatever_TCP_says()
    {
        var rig = new LinkRig(c =>
        {
            c.BrokerProbeMs = 5_000;
            c.BrokerAnswerMs = 4_000;
        });
        rig.Step();
        rig.Transport.Answers = false;
        for (int i = 0; i < 8; i++)
        {
            rig.Step(1_000);
        }

        // Probed at 5 s, no answer by 9 s: gone, though the socket still looks open.
        Assert.True(rig.Transport.IsConnected);
        Assert.Equal(1, rig.Transport.Probes);
        Assert.True(rig.Link.Status.Connected);
        rig.Step(1_000);
        Assert.False(rig.Link.Status.Connected);
        Assert.Contains("did not answer", rig.Link.Status.LastError, StringComparison.Ordinal);
        Assert.Equal(0, rig.Liveness.LastProofMs);

        // It comes back by itself once the broker answers again.
        rig.Transport.Answers = true;
        rig.Step(rig.Link.Status.BackoffMs);
        Assert.True(rig.Link.Status.Connected);
        Assert.Equal(rig.Clock.MonotonicMs, rig.Liveness.LastProofMs);
    }

    [Fact]
    public void An_unacknowledged_qos1_publish_ends_the_connection()
    {
        // A client that waits for the PUBACK (MQTTnet): the publish itself fails.
        var waiting = new LinkRig();
        waiting.Step();
        waiting.Transport.Answers = false;
        waiting.Outbox.Post(OutboundKind.Plugged, 0, 0, "s-1", null);
        waiting.Step(20);
        Assert.False(waiting.Link.Status.Connected);

        // A client that returns at once (M2Mqtt): no PUBACK within the answer time ends it.
        var later = new LinkRig(c => c.BrokerAnswerMs = 3_000);
        later.Step();
        later.Transport.AcksLater = true;
        later.Transport.Answers = false;
        later.Outbox.Post(OutboundKind.Plugged, 0, 0, "s-1", null);
        later.Step(20);
        Assert.True(later.Link.Status.Connected);
        later.Step(2_999);
        Assert.True(later.Link.Status.Connected);
        later.Step(1);
        Assert.False(later.Link.Status.Connected);

        // A late PUBACK in time keeps it; a client that gave up after its retries ends it.
        var late = new LinkRig(c => c.BrokerAnswerMs = 3_000);
        late.Step();
        late.Transport.AcksLater = true;
        late.Outbox.Post(OutboundKind.Plugged, 0, 0, "s-1", null);
        late.Step(2_000);
        late.Transport.AnswerPending();
        late.Step(2_000);
        Assert.True(late.Link.Status.Connected);
        late.Transport.FailDelivery();
        late.Step(20);
        Assert.False(late.Link.Status.Connected);
        Assert.Contains("did not acknowledge", late.Link.Status.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public void The_reconnect_backoff_stays_well_under_the_offline_limit()
    {
        var rig = new LinkRig(c =>
        {
            c.ReconnectMaxMs = 60_000;
            c.DispatchOfflineLimitMs = 20_000;
        });
        rig.Transport.Accepts = false;
        rig.Step();
        for (int attempt = 0; attempt < 30; attempt++)
        {
            Assert.InRange(rig.Link.Status.BackoffMs, 1, 5_000);
            rig.Step(rig.Link.Status.BackoffMs);
        }

        // The defaults: 1 s doubling to 10 s, with jitter.
        Assert.Equal((1_000, 10_000), (new ChargerConfig().ReconnectMinMs, new ChargerConfig().ReconnectMaxMs));
    }

    [Fact]
    public void A_healthy_quiet_link_proves_itself_often_enough_that_no_order_is_cut()
    {
        var rig = new LinkRig(c =>
        {
            c.DispatchOfflineLimitMs = 6_000;
            c.BrokerProbeMs = 10_000;
        });
        rig.Step();
        long worstGap = 0;
        long last = rig.Liveness.LastProofMs;
        for (int i = 0; i < 600; i++)
        {
            rig.Step(100);
            worstGap = Math.Max(worstGap, rig.Clock.MonotonicMs - rig.Liveness.LastProofMs);
        }

        // The probe period is kept under a third of the offline limit.
        Assert.InRange(worstGap, 1, 2_100);
        Assert.True(rig.Liveness.LastProofMs > last);
    }

    [Fact]
    public void The_control_loop_ends_an_order_at_the_limit_past_the_last_proof_even_if_the_link_never_noticed()
    {
        var rig = new ChargerRig(c => c.DispatchOfflineLimitMs = 6_000);
        rig.ReportVehicle(800);
        rig.SendPrices(12_000, 30_000);
        rig.PlugIn(allow: true);
        rig.SendDispatch(-3_000);
        rig.Step();
        rig.App.Liveness.Prove(rig.Clock.MonotonicMs);
        long proof = rig.Clock.MonotonicMs;
        long endedAt = -1;
        while (endedAt < 0 && rig.Clock.MonotonicMs - proof < 20_000)
        {
            rig.Step();
            rig.Modem.Reading.SocReadAtMs = rig.Clock.MonotonicMs;
            if (!rig.Policy.Dispatch.Holding)
            {
                endedAt = rig.Clock.MonotonicMs;
            }
        }

        Assert.InRange(endedAt - proof, 6_000, 6_000 + rig.Config.TickMs);
        var ack = rig.DrainOutbox().Select(e => e.Payload).OfType<DispatchAckMessage>().Last();
        Assert.Equal("offline-limit", ack.Reason);
        rig.Step(5);
        Assert.True(rig.Converter.SetpointW >= 0, "no discharge without an order");
    }
}
