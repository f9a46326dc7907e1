using System.Diagnostics;
using System.Text;
using ChargerFirmware.Protocol.Messages;
using ChargerFirmware.Tests.Support;
using ChargerFirmware.VirtualHardware.Mqtt;
using Xunit;

namespace ChargerFirmware.Tests.Link;

/// <summary>
/// A real mosquitto frozen (SIGSTOP) or killed while the charger discharges under an order, with the
/// whole charger (<see cref="ChargerRig"/> on <c>ChargerApp</c>) and its link over MQTTnet on its own
/// thread. The charger's clock is stepped tick by tick by the test and paced to wall time, so the
/// broker's wall-time silence and the charger's timers agree; every assertion is on the charger's
/// own clock. CI runs the property at a tenth of its scale (offline limit 6 s, probe 1 s,
/// answer 1.5 s, freezes of 3, 9 and 15 s, outages of 2 and 7.5 s); <c>CHARGER_FULL_SCALE=1</c> runs
/// it at full scale (limit 60 s, probe and answer 10 s, freezes of 30, 90 and 150 s, outages of 2,
/// 45 and 75 s): about 9 minutes.
/// </summary>
public class BrokerFaultTests
{
    private static readonly bool FullScale = Environment.GetEnvironmentVariable("CHARGER_FULL_SCALE") == "1";
    private static readonly int Scale = FullScale ? 10 : 1;
    private static readonly int OfflineLimitMs = 6_000 * Scale;
    private static readonly int ProbeMs = 1_000 * Scale;
    private static readonly int AnswerMs = 1_500 * Scale;

    /// <summary>A broker, a charger whose clock follows wall time, an aggregator client.</summary>
    private sealed class Harness : IDisposable
    {
        private readonly Stopwatch _wall = Stopwatch.StartNew();
        private readonly long _startMs;

        public Harness(string chargerId)
        {
            Broker = new Mosquitto();
            Transport = new MqttNetTransport { Timeout = TimeSpan.FromMilliseconds(AnswerMs) };
            Rig = new ChargerRig(
                c =>
                {
                    c.ChargerId = chargerId;
                    c.BrokerPort = Broker.Port;
                    c.DispatchOfflineLimitMs = OfflineLimitMs;
                    c.BrokerProbeMs = ProbeMs;
                    c.BrokerAnswerMs = AnswerMs;
                    c.ReconnectMinMs = 200 * Scale;
                },
                transport: Transport);
            _startMs = Rig.Clock.MonotonicMs;
            Rig.App.Link.IdleMs = 5;
            Aggregator = new TestAggregator(Broker.Port, Rig.App.Link.Topics.Root);
            Rig.App.Link.Start();
            Until(() => Rig.App.Link.Status.Connected, "the link connects", 10_000);
        }

        public Mosquitto Broker { get; }
        public MqttNetTransport Transport { get; }
        public ChargerRig Rig { get; }
        public TestAggregator Aggregator { get; }
        public long Now => Rig.Clock.MonotonicMs;
        public long LastProofMs => Rig.App.Liveness.LastProofMs;
        public int TickMs => Rig.Config.TickMs;

        /// <summary>One control tick, then a wait until wall time has caught up with the charger's clock.</summary>
        public void Tick()
        {
            Rig.Step();
            Rig.Modem.Reading.SocReadAtMs = Rig.Clock.MonotonicMs;
            long ahead = (Rig.Clock.MonotonicMs - _startMs) - _wall.ElapsedMilliseconds;
            if (ahead > 0)
            {
                Thread.Sleep((int)ahead);
            }
        }

        /// <summary>Ticks until <paramref name="condition"/> holds; fails after <paramref name="limitMs"/> of charger time.</summary>
        public void Until(Func<bool> condition, string what, long limitMs)
        {
            long until = Now + limitMs;
            while (!condition())
            {
                Assert.True(Now < until, $"not within {limitMs} ms: {what}; link: {Rig.App.Link.Status.LastError}\n{Broker.Log}");
                Tick();
            }
        }

        /// <summary>Ticks for <paramref name="ms"/> of charger time, checking <paramref name="each"/> after every tick.</summary>
        public void For(long ms, Action each)
        {
            long until = Now + ms;
            while (Now < until)
            {
                Tick();
                each();
            }
        }

        public void Dispatch(string id, long seq, int setpointW)
        {
            var order = new DispatchMessage { Id = id, Seq = seq, IssuedAtMs = Rig.Clock.UtcMs, DurationS = 3600, SetpointW = setpointW };
            var buffer = new byte[MessageCodec.MaxPayloadLength];
            int length = new MessageCodec("test").Encode(order, buffer);
            Aggregator.Publish("dispatch", Encoding.UTF8.GetString(buffer, 0, length));
        }

        /// <summary>Plugged in with consent, prices set, discharging 3 kW under an order.</summary>
        public void Discharging(string id, long seq)
        {
            Rig.ReportVehicle(800);
            Rig.SendPrices(buyMilli: 12_000, sellMilli: 30_000);
            Rig.PlugIn(allow: true);
            Dispatch(id, seq, -3_000);
            Until(() => Rig.Converter.SetpointW == -3_000 && Rig.Policy.Dispatch.Running, "the charger discharges under the order", 10_000);
        }

        /// <summary>The acknowledgements the link took from the control loop lately (what the console shows).</summary>
        public List<DispatchAckMessage> RecentAcks()
        {
            var acks = new List<DispatchAckMessage>();
            for (int age = 0; ; age++)
            {
                var ack = new DispatchAckMessage();
                if (!Rig.App.Acks.Copy(age, ack))
                {
                    return acks;
                }

                acks.Add(ack);
            }
        }

        public void Dispose()
        {
            Rig.App.Link.Stop();
            Transport.Dispose();
            Aggregator.Dispose();
            Broker.Dispose();
        }
    }

    public static TheoryData<int> Freezes() => FullScale ? new() { 30_000, 90_000, 150_000 } : new() { 3_000, 9_000, 15_000 };

    public static TheoryData<int> Outages() => FullScale ? new() { 2_000, 45_000, 75_000 } : new() { 2_000, 7_500 };

    [Theory]
    [MemberData(nameof(Freezes))]
    public void A_frozen_broker_ends_the_order_at_the_offline_limit_past_its_last_proof_and_the_charger_recovers(int freezeMs)
    {
        using var h = new Harness("ch-freeze-" + freezeMs);
        h.Discharging("d-before", 1);

        h.Broker.Freeze();
        long frozenAt = h.Now;
        long endedAt = -1;
        long proofAtEnd = 0;
        long worstGap = 0;
        h.For(freezeMs, () =>
        {
            worstGap = Math.Max(worstGap, h.Now - h.LastProofMs);
            if (endedAt < 0 && !h.Rig.Policy.Dispatch.Holding)
            {
                endedAt = h.Now;
                proofAtEnd = h.LastProofMs;
            }

            // Never discharging past the limit counted from the last proof.
            if (h.Now - h.LastProofMs > OfflineLimitMs + h.TickMs)
            {
                Assert.False(h.Rig.Converter.SetpointW < 0, $"still discharging {h.Now - h.LastProofMs} ms after the last proof");
            }
        });
        h.Broker.Thaw();

        if (freezeMs < OfflineLimitMs)
        {
            // Back before the limit: the order carries on once the broker answers again.
            h.Until(() => h.Now - h.LastProofMs < ProbeMs, "the broker proves it is alive again", 4 * AnswerMs);
            Assert.Equal(-1, endedAt);
            Assert.True(h.Rig.Policy.Dispatch.Running);
        }
        else
        {
            Assert.True(endedAt > 0, "the order ended during the freeze");
            Assert.InRange(endedAt - proofAtEnd, OfflineLimitMs, OfflineLimitMs + h.TickMs);
            // A reply the broker sent just before the freeze may still be read afterwards under load.
            Assert.True(proofAtEnd <= frozenAt + h.TickMs + AnswerMs, "no proof of life came from the frozen broker");
            Assert.True(h.Rig.Converter.SetpointW >= 0, "the power went back to what the driver's own setting gives");
            Assert.False(h.Rig.Snapshot().AggregatorInControl);
        }

        // The charger recovers by itself: connected, proving, taking a new order.
        h.Until(() => h.Rig.App.Link.Status.Connected && h.Now - h.LastProofMs < ProbeMs, "the link recovers", OfflineLimitMs);
        h.Aggregator.Reconnect();
        h.Dispatch("d-after", 2, -2_000);
        h.Until(() => h.Rig.Converter.SetpointW == -2_000, "a new order runs after the freeze", 10_000);
        if (freezeMs >= OfflineLimitMs)
        {
            Assert.Contains(h.RecentAcks(), a => a.Id == "d-before" && a.Reason == "offline-limit");
        }

        Assert.InRange(worstGap, 0, freezeMs + (4 * AnswerMs));
    }

    [Theory]
    [MemberData(nameof(Outages))]
    public void A_killed_broker_is_reconnected_within_seconds_of_its_return(int outageMs)
    {
        using var h = new Harness("ch-kill-" + outageMs);
        h.Discharging("d-1", 1);

        h.Broker.Kill();
        h.For(outageMs, () => { });
        h.Broker.Start();
        long backAt = h.Now;

        // The backoff is capped well under the offline limit: a quarter of it at most, here.
        long cap = Math.Min(h.Rig.Config.ReconnectMaxMs, OfflineLimitMs / 4);
        h.Until(() => h.Rig.App.Link.Status.Connected && h.LastProofMs >= backAt, "the link is back", cap + (2 * AnswerMs) + 1_000);
        Assert.InRange(h.LastProofMs - backAt, 0, cap + (2 * AnswerMs));
        bool survived = outageMs < OfflineLimitMs;
        Assert.Equal(survived, h.Rig.Policy.Dispatch.Running);
    }
}
