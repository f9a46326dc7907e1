using System.Diagnostics;
using ChargerFirmware.Aggregator.Consent;
using ChargerFirmware.Aggregator.Ingest;
using ChargerFirmware.Aggregator.Tests.Support;
using ChargerFirmware.Protocol;
using ChargerFirmware.Protocol.Messages;
using ChargerFirmware.Tests.Link;
using ChargerFirmware.VirtualHardware.Mqtt;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Xunit;
using static ChargerFirmware.Aggregator.Tests.Support.ChargerMessages;

namespace ChargerFirmware.Aggregator.Tests.Consent;

/// <summary>
/// The broker ACL of Protocol/README.md, read from the README itself, on a real mosquitto with
/// passwords: the server runs under it (shared subscriptions included), the phone relay identity
/// can answer consent and cannot dispatch, and the aggregator identity can dispatch and cannot
/// answer consent.
/// </summary>
public sealed class BrokerAclTests : IAsyncLifetime
{
    private const string Password = "s3cret-for-tests";
    private Mosquitto _broker = null!;
    private AggregatorServer _server = null!;
    private FakeCharger _charger = null!;

    public async Task InitializeAsync()
    {
        string folder = Directory.CreateTempSubdirectory("acl-").FullName;
        File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);
        string passwords = Path.Combine(folder, "passwd");
        foreach (string user in new[] { "aggregator@ops", "consent-relay@ops", "acl-1" })
        {
            Run("mosquitto_passwd", File.Exists(passwords) ? ["-b", passwords, user, Password] : ["-c", "-b", passwords, user, Password]);
        }

        string acl = Path.Combine(folder, "acl");
        File.WriteAllText(acl, DocumentedAcl());
        File.SetUnixFileMode(passwords, (UnixFileMode)0b110_100_100);
        File.SetUnixFileMode(acl, (UnixFileMode)0b110_100_100);
        _broker = new Mosquitto(settings: ["allow_anonymous false", $"password_file {passwords}", $"acl_file {acl}"]);
        _server = await AggregatorServer.StartAsync(new ServerOptions
        {
            Database = () => Backends.Fresh("sqlite"),
            Mqtt = new MqttSettings
            {
                Port = _broker.Port,
                ShareGroup = "aggregator",
                User = "aggregator@ops",
                Password = Password,
                RelayUser = "consent-relay@ops",
                RelayPassword = Password,
            },
            Web = false,
            InstanceId = "acl-test",
            Clock = () => T0,
        }, _ => { });
        _charger = await FakeCharger.ConnectAsync("acl-1", _broker.Port, Password);
    }

    public async Task DisposeAsync()
    {
        await _charger.DisposeAsync();
        await _server.DisposeAsync();
        _broker.Dispose();
    }

    [Fact]
    public async Task The_relay_identity_answers_consent_but_cannot_dispatch_and_the_aggregator_cannot_answer_consent()
    {
        (long aiko, _) = _server.Accounts.SignUp("Aiko", "phone");
        _server.Accounts.SetChargerOwner("acl-1", aiko);
        await _charger.PublishAsync(ConsentRequest("s-1", "n-1", null, T0 + 120_000));
        Assert.True(await FakeCharger.Until(() => _server.Relay.OpenFor(aiko).Count == 1, TimeSpan.FromSeconds(30)), "the relay never read the question:\n" + _broker.Log);
        Prompt prompt = _server.Relay.OpenFor(aiko)[0];
        Assert.Null(await _server.Relay.AnswerAsync(aiko, prompt.Id, allow: true, null));
        Assert.True(await FakeCharger.Until(() => _charger.Of<ConsentResponseMessage>(MessageKind.ConsentResponse).Count == 1, TimeSpan.FromSeconds(30)));

        Topics topics = Wire.TopicsOf("acl-1");
        var forged = new DispatchMessage { Id = "forged", Seq = long.MaxValue / 2, IssuedAtMs = T0, DurationS = 600, SetpointW = -7000 };
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await PublishAs("consent-relay@ops", topics.ForKind(MessageKind.Dispatch)!, Wire.Encode(forged)));
        var fakeAnswer = new ConsentResponseMessage { SessionId = "s-1", Nonce = "n-1", Allow = true };
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await PublishAs("aggregator@ops", topics.ForKind(MessageKind.ConsentResponse)!, Wire.Encode(fakeAnswer)));

        // The server's own dispatch goes through under the aggregator identity.
        await _server.Planner.SendManualAsync("acl-1", -3000, 600, null, 30_000);
        Assert.True(await FakeCharger.Until(() => _charger.Of<DispatchMessage>(MessageKind.Dispatch).Count == 1, TimeSpan.FromSeconds(30)));
        Assert.DoesNotContain(_charger.Of<DispatchMessage>(MessageKind.Dispatch), d => d.Id == "forged");
        Assert.Single(_charger.Of<ConsentResponseMessage>(MessageKind.ConsentResponse));
    }

    // The mosquitto example of Protocol/README.md, "Broker ACLs": the block the operators copy.
    private static string DocumentedAcl()
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "ChargerFirmware.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("repository root not found");
        }

        string readme = File.ReadAllText(Path.Combine(root, "Protocol", "README.md"));
        int section = readme.IndexOf("## Broker ACLs", StringComparison.Ordinal);
        int start = readme.IndexOf("```", section, StringComparison.Ordinal) + 3;
        int end = readme.IndexOf("```", start, StringComparison.Ordinal);
        return readme[start..end].Trim() + "\n";
    }

    private async Task<MqttClientPublishReasonCode> PublishAs(string user, string topic, byte[] payload)
    {
        using IMqttClient client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", _broker.Port).WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(user + "-probe").WithCredentials(user, Password).Build());
        MqttClientPublishResult result = await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        await client.DisconnectAsync();
        return result.ReasonCode;
    }

    private static void Run(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using Process process = Process.Start(start)!;
        process.WaitForExit(10_000);
        Assert.True(process.ExitCode == 0, $"{file} failed: {process.StandardError.ReadToEnd()}");
    }
}
