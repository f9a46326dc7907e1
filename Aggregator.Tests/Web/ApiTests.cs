using System.Net;
using System.Net.Http.Json;
using ChargerFirmware.Aggregator.Ingest;
using ChargerFirmware.Aggregator.Tests.Support;
using Xunit;
using static ChargerFirmware.Aggregator.Tests.Support.ChargerMessages;

namespace ChargerFirmware.Aggregator.Tests.Web;

/// <summary>The phone API keeps drivers apart and refuses what a browser should never send.</summary>
public sealed class ApiTests : IAsyncLifetime
{
    private EmbeddedBroker _broker = null!;
    private AggregatorServer _server = null!;

    public async Task InitializeAsync()
    {
        _broker = await EmbeddedBroker.StartAsync(0);
        _server = await AggregatorServer.StartAsync(new ServerOptions
        {
            Database = () => Backends.Fresh("sqlite"),
            Mqtt = new MqttSettings { Port = _broker.Port, ShareGroup = null },
            Url = "http://127.0.0.1:0",
            InstanceId = "api",
            OperatorKey = "k",
        }, _ => { });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task No_driver_sees_or_answers_another_drivers_data()
    {
        using HttpClient aiko = Phone();
        using HttpClient ben = Phone();
        (await aiko.PostAsJsonAsync("/api/signup", new { name = "Aiko" })).EnsureSuccessStatusCode();
        (await ben.PostAsJsonAsync("/api/signup", new { name = "Ben" })).EnsureSuccessStatusCode();
        (await aiko.PostAsJsonAsync("/api/me/vehicles", new { label = "Leaf", evccId = "02005EAB12CD", capacityKwh = 40 })).EnsureSuccessStatusCode();
        await using FakeCharger charger = await FakeCharger.ConnectAsync("pub-1", _broker.Port);
        await charger.PublishAsync(ConsentRequest("s-1", "n-1", "02005EAB12CD", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 120_000));
        Assert.True(await FakeCharger.Until(() => _server.Relay.OpenFor(1).Count == 1, TimeSpan.FromSeconds(30)));
        long prompt = _server.Relay.OpenFor(1)[0].Id;

        Assert.Equal("[]", await ben.GetStringAsync("/api/me/prompts"));
        Assert.Contains("\"vehicles\":[]", await ben.GetStringAsync("/api/me"), StringComparison.Ordinal);
        HttpResponseMessage stolen = await ben.PostAsJsonAsync($"/api/me/prompts/{prompt}/answer", new { allow = true });
        Assert.Equal(HttpStatusCode.BadRequest, stolen.StatusCode);
        Assert.Contains("no such question", await stolen.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await ben.PostAsJsonAsync("/api/me/claim", new { chargerId = "pub-1" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await ben.DeleteAsync("/api/me/vehicles/1")).StatusCode);
        Assert.Single(_server.Accounts.Vehicles(1));
        (await aiko.PostAsJsonAsync($"/api/me/prompts/{prompt}/answer", new { allow = true })).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Without_a_cookie_or_with_a_form_the_api_refuses()
    {
        using HttpClient stranger = Phone();
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/api/operator/overview")).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType,
            (await stranger.PostAsync("/api/signup", new FormUrlEncodedContent([new("name", "Mallory")]))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await stranger.PostAsJsonAsync("/api/signup", new { name = "" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await stranger.PostAsJsonAsync("/api/pair", new { code = "AAAAAAAA" })).StatusCode);
        HttpResponseMessage page = await stranger.GetAsync("/");
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_phone_joins_with_a_one_time_code()
    {
        using HttpClient first = Phone();
        using HttpClient second = Phone();
        (await first.PostAsJsonAsync("/api/signup", new { name = "Chie" })).EnsureSuccessStatusCode();
        string code = (await (await first.PostAsync("/api/me/pairing-code", null)).Content.ReadFromJsonAsync<Dictionary<string, object>>())!["code"].ToString()!;

        (await second.PostAsJsonAsync("/api/pair", new { code })).EnsureSuccessStatusCode();
        Assert.Contains("\"name\":\"Chie\"", await second.GetStringAsync("/api/me"), StringComparison.Ordinal);
        using HttpClient third = Phone();
        Assert.Equal(HttpStatusCode.BadRequest, (await third.PostAsJsonAsync("/api/pair", new { code })).StatusCode); // used up
    }

    private HttpClient Phone() => new(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = _server.Url };
}
