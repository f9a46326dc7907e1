using System.Globalization;
using System.Text.Json;
using ChargerFirmware.Panel;
using ChargerFirmware.Tests.Protocol;
using ChargerFirmware.Tests.Support;
using Xunit;

namespace ChargerFirmware.Tests.Accounting;

/// <summary>
/// Each defect an aggregator integrator observed (issue 13), replayed on the whole charger over its
/// virtual parts and judged only by what went out on the wire, as the integrator saw it. Every test
/// here failed on the firmware before the fix.
/// </summary>
public class ObservedDefectsTests
{
    private const long Buy = 12_000;
    private const long Sell = 30_000;

    private static WireCharger Sharing(Action<ChargerFirmware.Config.ChargerConfig>? configure = null, int socPermille = 800, int capacityWh = 40_000)
    {
        var c = new WireCharger(configure);
        c.Run(1_000);
        c.Prices(Buy, Sell);
        c.PlugAndAnswer(allow: true, capacityWh, socPermille);
        return c;
    }

    private static string Json(JsonElement e) => e.GetRawText();

    private static PanelFacts Facts(WireCharger c)
    {
        var facts = new PanelFacts();
        Assert.True(c.App.Policy.PanelFeed.CopyIfNewer(facts));
        return facts;
    }

    private static int Int(JsonElement e, string name) => e.GetProperty(name).GetInt32();

    private static long Long(JsonElement e, string name) => e.GetProperty(name).GetInt64();

    private static bool IsNull(JsonElement e, string name) => e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Null;

    private static List<string> Verdicts(WireCharger c, string id) =>
        c.Statuses(id).Where(s => s is "accepted" or "rejected").ToList();

    private static List<string> Ends(WireCharger c, string id) =>
        c.Statuses(id).Where(s => s is "rejected" or "completed" or "expired" or "cancelled" or "superseded" or "interrupted").ToList();

    // Charge at 10, then an order with only a sell price while the charge still ramps down, then 0 W.
    private static WireCharger ChargeThenSellOnlyThenZero()
    {
        var c = Sharing();
        c.Converter.RampWattsPerSecond = 700;
        c.Dispatch("A", 1, 7_000, buyMilli: 10_000);
        c.Run(15_000);
        c.Dispatch("B", 2, -5_000, sellMilli: 30_000);
        c.Run(25_000);
        c.Dispatch("C", 3, 0);
        c.Run(25_000);
        c.Unplug();
        c.Run(2_000);
        return c;
    }

    [Fact]
    public void A_sell_only_order_during_a_charge_ramp_never_bills_the_sentinel_price()
    {
        var c = ChargeThenSellOnlyThenZero();
        Assert.NotEmpty(c.Ledger);
        foreach (JsonElement entry in c.Ledger)
        {
            Assert.Null(ContractFiles.Violations("ledger.json", Json(entry)));
            long? price = WireCharger.Milli(entry, "price");
            Assert.True(price is null or <= 30_000, "a price never in force: " + Json(entry));
        }

        JsonElement ended = Assert.Single(c.Events("session-ended"));
        Assert.Null(ContractFiles.Violations("event.json", Json(ended)));
        long importWh = Long(ended, "importWh");
        Assert.True(Long(ended, "purchaseMilli") <= importWh * 12, Json(ended));

        // The receipt the panel shows after unplug.
        PanelFacts facts = Facts(c);
        Assert.Equal(1, facts.ReceiptNumber);
        Assert.True(facts.ReceiptPurchasesMilli <= importWh * 12, $"the receipt says {facts.ReceiptPurchasesMilli} milli-JPY paid for {importWh} Wh");
    }

    [Fact]
    public void A_zero_watt_order_books_nothing()
    {
        var c = ChargeThenSellOnlyThenZero();
        Assert.Contains("accepted", c.Statuses("C"));
        Assert.DoesNotContain(c.Ledger, e => WireCharger.Str(e, "dispatchId") == "C");
    }

    [Fact]
    public void Every_entry_under_an_order_is_energy_in_the_direction_that_order_drove()
    {
        var c = ChargeThenSellOnlyThenZero();
        var drove = new Dictionary<string, string> { ["A"] = "aggregator-charge", ["B"] = "aggregator-discharge" };
        foreach (JsonElement entry in c.Ledger)
        {
            string? dispatch = WireCharger.Str(entry, "dispatchId");
            if (dispatch != null)
            {
                Assert.True(drove.TryGetValue(dispatch, out string? kind) && kind == WireCharger.Str(entry, "kind"), "booked under an order that did not drive it: " + Json(entry));
            }
        }

        // The charge still flowing in after B took over is A's ramp down, at A's price.
        Assert.Contains(c.Ledger, e => WireCharger.Str(e, "dispatchId") == "A" && WireCharger.Milli(e, "price") == 10_000);
    }

    [Fact]
    public void The_ramp_down_after_an_order_ends_stays_with_that_order_and_a_charge_session_books_no_discharge()
    {
        var c = Sharing();
        c.Converter.RampWattsPerSecond = 700;
        c.Dispatch("up", 1, 7_000, durationS: 20, buyMilli: 8_000);
        c.Run(40_000);
        c.Unplug();
        c.Run(2_000);
        Assert.Equal("completed", c.Statuses("up").Last());
        foreach (JsonElement entry in c.Ledger)
        {
            string kind = WireCharger.Str(entry, "kind")!;
            string? dispatch = WireCharger.Str(entry, "dispatchId");
            Assert.NotEqual("aggregator-discharge", kind);
            Assert.True(kind == "own-charge" ? dispatch == null : dispatch == "up", Json(entry));
        }
    }

    [Fact]
    public void Stop_sharing_ends_the_running_order_at_once_and_the_status_drops_it()
    {
        var c = Sharing();
        c.Dispatch("long", 1, -5_000, durationS: 3_600);
        c.RunUntil(() => c.Statuses("long").Contains("active"));
        c.Tap(PanelButtons.StopSharing);
        c.Step();
        c.Step();
        Assert.Equal(["accepted", "active", "interrupted"], c.Statuses("long"));
        Assert.Equal("consent-revoked", WireCharger.Str(c.Acks("long").Last(), "reason"));
        c.Run(3_000);
        JsonElement status = c.LastStatus!.Value;
        Assert.Equal(("denied", JsonValueKind.Null), (WireCharger.Str(status, "consent"), status.GetProperty("dispatchId").ValueKind));
        c.Unplug();
        c.Run(1_000);
        Assert.Single(Ends(c, "long"));
    }

    [Fact]
    public void Every_ack_carries_the_setpoint_actually_applied_after_every_limit()
    {
        var c = Sharing();
        c.Dispatch("big", 1, 20_000, buyMilli: 10_000);
        c.RunUntil(() => c.Statuses("big").Contains("active"));
        foreach (WireCharger.Publication ack in c.On("dispatch/ack"))
        {
            Assert.Equal(ack.SetpointW, Int(ack.Body, "appliedW"));
        }

        Assert.InRange(Int(c.Acks("big").Last(), "appliedW"), 1, 7_400);

        // During a residual current fault nothing flows, and the ack says so.
        c.Rcd.ResidualCurrent = true;
        c.Run(500);
        c.Dispatch("during-fault", 2, 5_000, buyMilli: 10_000);
        c.Run(500);
        Assert.All(c.Acks("during-fault"), a => Assert.Equal(0, Int(a, "appliedW")));
    }

    [Fact]
    public void An_order_below_the_drivers_floor_is_not_active_while_the_charger_charges_to_the_floor_on_its_own()
    {
        var c = Sharing(socPermille: 450, capacityWh: 2_000);
        c.Dispatch("up", 1, 7_000, durationS: 3_600, buyMilli: 9_000);
        c.Run(10_000);
        Assert.DoesNotContain("active", c.Statuses("up"));
        Assert.True(c.App.Charger.SetpointW > 7_000, "below the floor the charger charges at its maximum");
        Assert.DoesNotContain(c.Ledger, e => WireCharger.Str(e, "dispatchId") == "up");

        c.RunUntil(() => c.Statuses("up").Contains("active"), 600_000);
        JsonElement active = c.Acks("up").Single(a => WireCharger.Str(a, "status") == "active");
        Assert.Equal(7_000, Int(active, "appliedW"));
    }

    [Fact]
    public void A_burst_of_200_dispatches_gets_200_verdicts()
    {
        var c = Sharing();
        for (int i = 1; i <= 200; i++)
        {
            c.Dispatch("b-" + i, i, -1_000 - i);
        }

        c.Run(2_000);
        for (int i = 1; i <= 200; i++)
        {
            Assert.Single(Verdicts(c, "b-" + i));
        }

        Assert.Contains(c.Acks(), a => WireCharger.Str(a, "reason") == "busy");
    }

    [Fact]
    public void Five_thousand_dispatches_in_ten_seconds_each_get_one_verdict_and_at_most_one_end()
    {
        // Ten orders every 20 ms control tick for 10 s: far beyond the inbox, so most are answered busy by the link.
        var c = Sharing();
        const int Orders = 5_000;
        for (int i = 1; i <= Orders; i++)
        {
            c.Dispatch("m-" + i, i, -1_000 - (i % 1_000), durationS: 60);
            if (i % 10 == 0)
            {
                c.Step();
            }
        }

        c.Run(2_000);
        var statuses = new Dictionary<string, List<string>>();
        foreach (WireCharger.Publication ack in c.On("dispatch/ack"))
        {
            string id = WireCharger.Str(ack.Body, "id")!;
            if (!statuses.TryGetValue(id, out List<string>? list))
            {
                statuses[id] = list = new List<string>();
            }

            list.Add(WireCharger.Str(ack.Body, "status")!);
        }

        int busy = c.Acks().Count(a => WireCharger.Str(a, "reason") == "busy");
        int running = 0;
        for (int i = 1; i <= Orders; i++)
        {
            List<string> s = statuses.GetValueOrDefault("m-" + i) ?? new List<string>();
            Assert.True(s.Count(x => x is "accepted" or "rejected") == 1, $"m-{i}: {string.Join(",", s)}");
            int ends = s.Count(x => x is "rejected" or "completed" or "expired" or "cancelled" or "superseded" or "interrupted");
            Assert.True(ends <= 1, $"m-{i}: {string.Join(",", s)}");
            running += ends == 0 ? 1 : 0;
        }

        Assert.Equal(1, running);
        Assert.InRange(busy, 1, Orders - 1);
    }

    [Fact]
    public void A_cancel_prices_and_a_consent_answer_in_a_burst_are_never_lost()
    {
        var c = new WireCharger();
        c.Run(1_000);
        c.Prices(Buy, Sell);
        c.Plug();
        c.RunUntil(() => c.App.Policy.AwaitingConsent);
        c.Step();
        JsonElement request = c.On("consent/request").Last().Body;

        for (int i = 1; i <= 60; i++)
        {
            c.Dispatch("f-" + i, i, -1_000);
        }

        c.Prices(11_000, 31_000);
        c.Prices(10_000, 32_000);
        c.Deliver("consent/response", $$"""{"v":1,"sessionId":"{{WireCharger.Str(request, "sessionId")}}","nonce":"{{WireCharger.Str(request, "nonce")}}","allow":true}""");
        c.Cancel("f-1");
        c.Run(2_000);

        Assert.True(c.App.Policy.Consent.IsGranted, "the phone's answer was lost");
        Assert.Equal((10_000, 32_000), (c.App.Policy.Inputs.BuyPriceMilli, c.App.Policy.Inputs.SellPriceMilli));
        // Its verdict (refused: consent was still pending, or busy), then the cancel's answer (nothing to cancel).
        var acks = c.Acks("f-1");
        Assert.Equal(2, acks.Count);
        Assert.Contains(WireCharger.Str(acks[0], "reason"), new[] { "awaiting-consent", "busy" });
        Assert.Equal(("rejected", "unknown-id"), (WireCharger.Str(acks[1], "status"), WireCharger.Str(acks[1], "reason")));
    }

    [Fact]
    public void The_largest_seq_javascript_cannot_hold_is_refused_and_never_locks_the_charger_out()
    {
        var c = Sharing();
        c.Deliver("dispatch", $$"""{"v":1,"id":"huge","seq":9223372036854775807,"issuedAt":"{{c.Rfc3339(c.Clock.UtcMs)}}","durationS":60,"setpointW":-1000}""");
        c.Run(200);
        Assert.Equal("out-of-range:seq", WireCharger.Str(c.Acks("huge").Single(), "reason"));
        c.Dispatch("next", 5, -1_000);
        c.Run(200);
        Assert.Equal("accepted", c.Statuses("next").First());
    }

    [Fact]
    public void Orders_refused_by_the_message_rules_do_not_raise_the_sequence_mark()
    {
        var c = Sharing();
        c.Dispatch("future", 100, -1_000, issuedAtUtcMs: c.Clock.UtcMs + 3_600_000);
        c.Dispatch("old", 101, -1_000, issuedAtUtcMs: c.Clock.UtcMs - 3_600_000);
        c.Run(200);
        c.Dispatch("fine", 50, -1_000);
        c.Run(200);
        Assert.Equal("accepted", c.Statuses("fine").First());
    }

    [Fact]
    public void A_technician_resets_the_sequence_mark_from_the_console_and_it_is_logged()
    {
        var c = Sharing();
        c.Dispatch("too-high", 9_007_199_254_740_991, -1_000);
        c.Run(200);
        c.Dispatch("locked-out", 10, -1_000);
        c.Run(200);
        Assert.Equal("replayed", WireCharger.Str(c.Acks("locked-out").Single(), "reason"));
        long capturedIssuedAt = c.Clock.UtcMs;

        Assert.StartsWith("error", c.Console("dispatch reset-seq").Split('\n')[1].Trim());
        c.Console("pin set 24681357");
        Assert.Contains("\nok: ", c.Console("dispatch reset-seq"));
        c.Run(100);
        Assert.Contains("dispatch-seq-reset", c.Console("log"));
        c.Dispatch("back", 11, -1_000);
        c.Run(200);
        Assert.Equal("accepted", c.Statuses("back").First());

        // The reset opens no door to replays: an order issued before it stays refused, even above the new mark.
        c.Dispatch("captured", 12, -1_000, issuedAtUtcMs: capturedIssuedAt);
        c.Run(200);
        Assert.Equal("sequence-lost", WireCharger.Str(c.Acks("captured").Single(), "reason"));
    }

    [Fact]
    public void An_order_issued_in_1970_is_refused_as_stale()
    {
        var c = Sharing();
        c.Dispatch("ancient", 1, -3_000, issuedAtUtcMs: 0);
        c.Run(1_000);
        Assert.Equal(["rejected"], c.Statuses("ancient"));
        Assert.Equal("stale", WireCharger.Str(c.Acks("ancient").Single(), "reason"));
        Assert.True(c.App.Charger.SetpointW >= 0);
    }

    [Fact]
    public void A_one_kWh_car_kept_at_40_percent_never_goes_below_it()
    {
        var c = new WireCharger();
        c.Run(1_000);
        c.Prices(Buy, Sell);
        var car = c.Plug(capacityWh: 1_000, socPermille: 470);
        c.RunUntil(() => c.App.Policy.AwaitingConsent);
        c.Step();
        JsonElement request = c.On("consent/request").Last().Body;
        c.Deliver("consent/response", $$$"""{"v":1,"sessionId":"{{{WireCharger.Str(request, "sessionId")}}}","nonce":"{{{WireCharger.Str(request, "nonce")}}}","allow":true,"conditions":{"keptSocPct":40,"minSellPrice":10,"maxBuyPrice":20,"delegated":false}}""");
        c.RunUntil(() => c.App.Charger.ContactorCommand && c.App.Policy.Inputs.SocKnown);
        c.Dispatch("down", 1, -7_000, durationS: 3_600);
        int lowest = car.SocPermille;
        for (int i = 0; i < 3_000; i++)
        {
            c.Step();
            lowest = Math.Min(lowest, car.SocPermille);
        }

        Assert.True(lowest >= 400, $"the car went down to {lowest} per-mille");
        Assert.Equal("at-floor", WireCharger.Str(c.Acks("down").Last(), "reason"));
    }

    [Fact]
    public void Leaving_prices_to_the_aggregator_still_refuses_999_per_kWh_and_the_panel_shows_the_limits()
    {
        var c = new WireCharger();
        c.Run(1_000);
        c.Prices(Buy, Sell);
        c.Plug(socPermille: 800);
        c.RunUntil(() => c.App.Policy.AwaitingConsent);
        c.Tap(PanelButtons.Conditions); // balanced -> leave-to-aggregator
        c.Run(1_000);

        // The panel is told the charger's own limits (DriverPanelTests shows how it draws them when the driver delegates).
        PanelFacts facts = Facts(c);
        Assert.Equal((100_000, 1_000), (facts.OwnMaxBuyPriceMilli, facts.OwnMinSellPriceMilli));
        c.Tap(PanelButtons.Allow);
        c.RunUntil(() => c.App.Charger.ContactorCommand && c.App.Policy.Inputs.SocKnown);
        Assert.True(c.App.Policy.Consent.Conditions.Delegated);

        c.Dispatch("greedy", 1, 7_000, buyMilli: 999_000);
        c.Run(500);
        Assert.Equal("price-above-ceiling", WireCharger.Str(c.Acks("greedy").Single(), "reason"));
        Assert.DoesNotContain(c.Ledger, e => WireCharger.Milli(e, "price") > 100_000);
    }

    [Fact]
    public void The_status_carries_the_resolved_conditions()
    {
        var c = Sharing();
        c.Run(2_000);
        JsonElement conditions = c.LastStatus!.Value.GetProperty("conditions");
        Assert.Equal(
            """{"preset":"balanced","minSellPrice":25,"maxBuyPrice":15,"keptSocPct":50,"delegated":false,"inWindow":true}""",
            Json(conditions));
    }

    [Fact]
    public void A_dispatch_too_broken_to_carry_an_id_is_acked_malformed_whatever_broke_it()
    {
        // The codec's reasons would be missing-field:id, malformed, missing-field:v and too-large.
        var c = Sharing();
        c.Deliver("dispatch", "{\"v\":1,\"seq\":1}");
        c.Deliver("dispatch", "{\"seq\":1,\"id\":\"x\",\"id\":\"y\"}");
        c.Deliver("dispatch", "{\"id\":5}");
        c.Deliver("dispatch", "{\"v\":1,\"pad\":\"" + new string('x', 2_100) + "\"}");
        c.Run(200);
        var acks = c.Acks().Where(a => a.GetProperty("id").ValueKind == JsonValueKind.Null).ToList();
        Assert.Equal(4, acks.Count);
        Assert.All(acks, a => Assert.Null(ContractFiles.Violations("dispatch-ack.json", Json(a))));
        Assert.All(acks, a => Assert.Equal("malformed", WireCharger.Str(a, "reason")));
    }

    [Fact]
    public void A_completed_order_sends_no_dispatch_expired_event_and_events_after_unplug_keep_their_session()
    {
        var c = Sharing();
        string session = c.App.Policy.Consent.SessionId;
        c.Dispatch("short", 1, -2_000, durationS: 5);
        c.Run(8_000);
        Assert.Equal("completed", c.Statuses("short").Last());
        Assert.Empty(c.Events("dispatch-expired"));

        // Scheduled for later, the car unplugged before: every event that follows carries the session it belonged to.
        c.Deliver("dispatch", $$"""{"v":1,"id":"later","seq":2,"issuedAt":"{{c.Rfc3339(c.Clock.UtcMs)}}","startAt":"{{c.Rfc3339(c.Clock.UtcMs + 60_000)}}","durationS":60,"setpointW":-2000}""");
        c.Run(200);
        c.Rcd.ResidualCurrent = true;
        c.Unplug();
        c.Run(2_000);
        foreach (WireCharger.Publication e in c.On("events"))
        {
            string? type = WireCharger.Str(e.Body, "type");
            if (type is "unplugged" or "session-ended" or "dispatch-expired")
            {
                Assert.Equal(session, WireCharger.Str(e.Body, "sessionId"));
            }
        }

        Assert.Single(Ends(c, "later"));
    }
    [Fact]
    public void Acks_waiting_for_the_broker_survive_a_power_cut()
    {
        var c = Sharing();
        c.Dispatch("short", 1, -2_000, durationS: 5);
        c.Run(500);
        Assert.Equal("accepted", c.Statuses("short").First());

        // The broker goes away; the order ends while its end can only wait; then the power fails.
        c.Transport.Accepts = false;
        c.Transport.Drop();
        c.Run(8_000);
        c.PowerCut();
        c.Transport.Accepts = true;
        c.RunUntil(() => c.Transport.IsConnected, 30_000);
        c.Run(1_000);

        Assert.Equal("completed", Ends(c, "short").Single());
    }

    [Fact]
    public void Acks_made_while_the_broker_is_away_are_all_published_later_none_dropped()
    {
        // 40 orders arrive at once, the broker goes away before the link publishes any verdict: each
        // accepted order is then superseded by the next, so far more acks wait than the link's 32 slots.
        var c = Sharing();
        for (int i = 1; i <= 40; i++)
        {
            c.Transport.Deliver(WireCharger.Root + "/dispatch", $$"""{"v":1,"id":"q-{{i}}","seq":{{i}},"issuedAt":"{{c.Rfc3339(c.Clock.UtcMs)}}","durationS":600,"setpointW":{{-1_000 - i}}}""");
        }

        c.Transport.Accepts = false;
        c.Transport.Drop();
        c.Run(5_000);
        c.Transport.Accepts = true;
        c.RunUntil(() => c.Transport.IsConnected, 30_000);
        c.Run(5_000);
        for (int i = 1; i <= 40; i++)
        {
            Assert.Single(Verdicts(c, "q-" + i));
        }

        Assert.True(c.Acks().Count > AggregatorLinkCapacity, "the scenario must hold more acks than the link's slots");
    }

    private const int AggregatorLinkCapacity = ChargerFirmware.Link.AggregatorLink.PendingCapacity;
}
