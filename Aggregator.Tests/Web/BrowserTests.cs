using ChargerFirmware.Aggregator.Ingest;
using ChargerFirmware.Aggregator.Tests.Support;
using ChargerFirmware.Protocol;
using ChargerFirmware.Protocol.Messages;
using OpenQA.Selenium;
using Xunit;
using static ChargerFirmware.Aggregator.Tests.Support.ChargerMessages;

namespace ChargerFirmware.Aggregator.Tests.Web;

/// <summary>
/// The pages in a real browser (headless Chromium, Selenium) against a running server with a
/// charger on the broker: a driver signs up, registers the car, sets conditions, answers the
/// consent question from the phone (the charger receives the answer with its nonce), and sees the
/// balance, the statement and the history; an operator declares a demand response.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BrowserTests : IAsyncLifetime
{
    private EmbeddedBroker _broker = null!;
    private AggregatorServer _server = null!;
    private FakeCharger _charger = null!;

    public async Task InitializeAsync()
    {
        _broker = await EmbeddedBroker.StartAsync(0);
        _server = await AggregatorServer.StartAsync(new ServerOptions
        {
            Database = () => Backends.Fresh("sqlite"),
            Mqtt = new MqttSettings { Port = _broker.Port, ShareGroup = null },
            Url = "http://127.0.0.1:0",
            InstanceId = "browser",
            OperatorKey = "operator-key-for-tests",
        }, _ => { });
        _charger = await FakeCharger.ConnectAsync("ch-0017", _broker.Port);
    }

    public async Task DisposeAsync()
    {
        await _charger.DisposeAsync();
        await _server.DisposeAsync();
        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task A_driver_registers_answers_the_consent_question_edits_conditions_and_sees_the_balance()
    {
        using var browser = new Browser();
        browser.Go(_server.Url!);
        browser.Screenshot("phone-welcome");
        browser.Type("signup-name", "Aiko");
        browser.Click("signup-submit");
        Assert.Equal("Hello, Aiko", browser.TextOf("title", t => t.StartsWith("Hello", StringComparison.Ordinal)));

        Tab(browser, "car");
        browser.Type("vehicle-label", "Leaf");
        browser.Type("vehicle-evcc", "02005EAB12CD");
        browser.Type("vehicle-capacity", "40");
        browser.Click("vehicle-submit");
        browser.TextOf("vehicles", t => t.Contains("02005EAB12CD", StringComparison.Ordinal));

        Tab(browser, "terms");
        browser.Click("cond-mode-own");
        browser.Type("cond-min-sell", "26.5");
        browser.Type("cond-max-buy", "14");
        browser.Type("cond-kept", "60");
        browser.Click("cond-save");
        browser.Click("window-add");
        browser.Click("windows-save");
        browser.Click(browser.Css("input[name=settlement][value=points]"));
        browser.Click("settlement-save");
        browser.Wait(_ => _server.Accounts.Get(1) is { Settlement: "points", Windows.Count: 1 } a && a.Conditions.MinSellMilli == 26_500 ? a : null);
        browser.Screenshot("phone-conditions");

        // The car plugs in: the charger asks, the phone shows the question, the driver allows.
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await _charger.PublishAsync(ConsentRequest("s-77", "n-77-secret", "02005EAB12CD", now + 120_000));
        Tab(browser, "now");
        browser.Css("[data-prompt] .allow");
        browser.Screenshot("phone-consent");
        browser.Click(browser.Css("[data-prompt] .allow"));
        Assert.True(await FakeCharger.Until(() => _charger.Of<ConsentResponseMessage>(MessageKind.ConsentResponse).Count == 1, TimeSpan.FromSeconds(30)));
        ConsentResponseMessage answer = _charger.Of<ConsentResponseMessage>(MessageKind.ConsentResponse)[0];
        Assert.Equal(("s-77", "n-77-secret", true), (answer.SessionId, answer.Nonce, answer.Allow));
        Assert.Equal((26_500L, 14_000L, 60), (answer.Conditions.MinSellPriceMilli, answer.Conditions.MaxBuyPriceMilli, answer.Conditions.KeptSocPct));
        browser.Wait(d => d.FindElements(By.CssSelector("[data-prompt]")).Count == 0 ? "gone" : null);

        // The session's records arrive: the balance shows them.
        await _charger.PublishAsync(Record(1, session: "s-77", kind: LedgerKind.OwnCharge, wh: 4_200, priceMilli: 12_500, vehicle: "02005EAB12CD", startMs: now - 300_000));
        await _charger.PublishAsync(Record(2, session: "s-77", kind: LedgerKind.AggregatorDischarge, wh: 6_100, priceMilli: 30_000, vehicle: "02005EAB12CD", startMs: now - 300_000));
        Assert.True(await FakeCharger.Until(() => _charger.AckedUpTo == 2, TimeSpan.FromSeconds(30)));
        Tab(browser, "money");
        Assert.Equal("130.50 JPY", browser.TextOf("balance-net", t => t.Contains("JPY", StringComparison.Ordinal) && t != "0.00 JPY"));
        Assert.Equal("183", browser.TextOf("points-balance", t => t != "0"));
        browser.TextOf("statement-due", t => t.Contains("JPY", StringComparison.Ordinal));
        browser.Screenshot("phone-money");
        Tab(browser, "history");
        browser.TextOf("usage-hour", t => t.Contains("6.1", StringComparison.Ordinal));
        browser.Screenshot("phone-history");
    }

    [Fact]
    public void An_operator_signs_in_and_declares_a_demand_response()
    {
        using var browser = new Browser(1280, 1500);
        browser.Go(new Uri(_server.Url!, "operator"));
        browser.Type("key", "wrong");
        browser.Click("signin-submit");
        browser.TextOf("toast", t => t.Contains("wrong key", StringComparison.Ordinal));
        browser.Type("key", "operator-key-for-tests");
        browser.Click("signin-submit");
        browser.Type("dr-kw", "1000");
        browser.Click("dr-submit");
        browser.TextOf("drs", t => t.Contains("down 1000 kW", StringComparison.Ordinal));
        browser.TextOf("chargers", t => t.Contains("ch-0017", StringComparison.Ordinal));
        browser.Driver.ExecuteScript("window.scrollTo(0, 0);");
        browser.Screenshot("operator");
        Assert.Equal(1_000_000, _server.DemandResponses.Latest(1)[0].PowerW);
    }

    private static void Tab(Browser browser, string name) => browser.Click(browser.Css($"nav.tabs button[data-tab={name}]"));
}

/// <summary>Browser tests run one at a time: each Chromium takes a core.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection
{
    public const string Name = "Browser";
}
