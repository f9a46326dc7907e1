using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using ChargerFirmware.Protocol;
using ChargerFirmware.Protocol.Messages;
using ChargerFirmware.VirtualHardware.Mqtt;
using MQTTnet;
using MQTTnet.Protocol;
using Xunit;

namespace ChargerFirmware.Tests.Simulator;

/// <summary>
/// The simulator as a separate process in --interactive mode against a real mosquitto: the test is
/// the driver (commands on stdin) and the aggregator (MQTT), from outside the process.
/// </summary>
[Collection(SimulatorCollection.Name)]
public sealed class InteractiveProcessTests : IAsyncLifetime
{
    private const string ChargerId = "it-1";
    private readonly Topics _topics = new(Topics.DefaultPrefix, ChargerId);
    private readonly MessageCodec _codec = new(ChargerId);
    private readonly BlockingCollection<(string Topic, byte[] Payload)> _received = [];
    private readonly List<(string Topic, byte[] Payload)> _seen = [];
    private readonly ConcurrentQueue<string> _stdout = new();
    private Mosquitto? _broker;
    private IMqttClient? _aggregator;
    private Process? _simulator;
    // Above any earlier run's (a charger remembers the highest it judged), within the contract's 2^53-1: microseconds since 1970.
    private long _seq = (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / 10;

    public async Task InitializeAsync()
    {
        _broker = new Mosquitto();
        _aggregator = new MqttClientFactory().CreateMqttClient();
        _aggregator.ApplicationMessageReceivedAsync += e =>
        {
            _received.Add((e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray()));
            return Task.CompletedTask;
        };
        await _aggregator.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", _broker.Port).WithClientId("test-aggregator").Build());
        await _aggregator.SubscribeAsync($"chargers/{ChargerId}/#", MqttQualityOfServiceLevel.AtLeastOnce);
    }

    public async Task DisposeAsync()
    {
        if (_simulator is { HasExited: false })
        {
            _simulator.Kill(entireProcessTree: true);
        }

        _simulator?.Dispose();
        if (_aggregator is not null)
        {
            await _aggregator.DisconnectAsync();
            _aggregator.Dispose();
        }

        _broker?.Dispose();
    }

    [Fact]
    public async Task Plug_consent_dispatch_and_unplug_driven_from_outside_the_process()
    {
        _simulator = StartSimulator("--interactive", "--no-aggregator", "--broker", $"mqtt://127.0.0.1:{_broker!.Port}", "--id", ChargerId, "--speed", "10");
        Assert.Equal("online", Receive<string>(MessageKind.Availability, _ => true, payload => System.Text.Encoding.ASCII.GetString(payload)));

        await Publish(new PricesMessage { ValidFromMs = 0, ValidToMs = 4_102_444_800_000, BuyPriceMilli = 12_000, SellPriceMilli = 18_000, Currency = "JPY" }, retain: true);
        Send("plug soc=60 capacity=40000 plc=yes");
        ReceiveEvent(EventType.Plugged);
        var request = Receive(new ConsentRequestMessage(), _ => true);
        Assert.Equal(32, request.Nonce!.Length);
        ReceiveEvent(EventType.ConsentRequested);

        Send("tap allow");
        ReceiveEvent(EventType.ConsentGranted);
        Receive(new StatusMessage(), s => s.Reason == "awaiting-dispatch" && s.HasSocPct);

        string accepted = await Dispatch(-5_000, sellMilli: 30_000);
        var acceptedAck = Receive(new DispatchAckMessage(), a => a.Id == accepted);
        Assert.Equal((DispatchStatus.Accepted, (string?)null), (acceptedAck.Status, acceptedAck.Reason));
        Receive(new StatusMessage(), s => s.State == ChargerState.Discharging && s.DispatchId == accepted);

        string cheap = await Dispatch(-5_000, sellMilli: 20_000);
        DispatchAckMessage refusal = Receive(new DispatchAckMessage(), a => a.Id == cheap);
        Assert.Equal((DispatchStatus.Rejected, "price-below-minimum"), (refusal.Status, refusal.Reason));

        // Let the discharge run for about 20 simulated seconds (two wall seconds at x10) before the driver leaves.
        Receive(new StatusMessage(), s => s.PowerW <= -4_000);
        Thread.Sleep(2_000);
        Send("unplug");
        EventMessage ended = ReceiveEvent(EventType.SessionEnded);
        Assert.True(ended.ExportWh > 0, "the car gave energy");
        Assert.Equal(ended.ExportWh * 30, ended.EarningsMilli);

        // The journal may take the session's last record a few ticks after the event: ask until it shows.
        WaitForOutput(() => Send("console ledger balance 2000-01-01 2100-01-01"), l => l.StartsWith("console   | it-1: ", StringComparison.Ordinal) && l.Contains("aggregator-discharge", StringComparison.Ordinal) && !l.EndsWith(" 0 Wh, 0.000", StringComparison.Ordinal));

        Send("quit");
        Assert.True(_simulator.WaitForExit(20_000), "the simulator did not quit");
        Assert.Equal(0, _simulator.ExitCode);
        Assert.Contains(_stdout, l => l.StartsWith("ok: it-1 plugged", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_driver_edits_and_allows_by_touching_the_panel_and_every_change_is_a_picture()
    {
        string screens = Directory.CreateTempSubdirectory("screens-").FullName;
        try
        {
            _simulator = StartSimulator("--interactive", "--no-aggregator", "--broker", $"mqtt://127.0.0.1:{_broker!.Port}", "--id", ChargerId, "--speed", "10", "--screens", screens);
            Assert.Equal("online", Receive<string>(MessageKind.Availability, _ => true, payload => System.Text.Encoding.ASCII.GetString(payload)));
            await Publish(new PricesMessage { ValidFromMs = 0, ValidToMs = 4_102_444_800_000, BuyPriceMilli = 12_000, SellPriceMilli = 18_000, Currency = "JPY" }, retain: true);
            Send("plug soc=45 capacity=40000 plc=yes");
            var request = Receive(new ConsentRequestMessage(), _ => true);

            // At x10 the 2-minute deadline is stretched to 20 simulated minutes (still 2 minutes on the wall),
            // counted from the request, which comes a status period or so after the last status seen.
            Assert.InRange(request.DeadlineMs - LastStatusAtMs, 1_150_000, 1_300_000);

            WaitForOutput(() => { }, l => l.Contains("Share your battery?", StringComparison.Ordinal));
            Send("tap change");
            WaitForOutput(() => { }, l => l.Contains("Your limits (1/3)", StringComparison.Ordinal));
            Send("tap keep-plus");
            WaitForOutput(() => { }, l => l.Contains("ok: it-1 tapped [keep-plus]", StringComparison.Ordinal));
            Send("tap done");
            WaitForOutput(() => { }, l => l.Contains("Conditions: custom", StringComparison.Ordinal));
            Send("tap nothing-like-this");
            WaitForOutput(() => { }, l => l.StartsWith("error: no button 'nothing-like-this'", StringComparison.Ordinal));

            // Allow is the first of four buttons along the bottom: cells 0-9 of rows 10-12.
            Send("touch 60 280");
            ReceiveEvent(EventType.ConsentGranted);
            StatusMessage status = Receive(new StatusMessage(), s => s.Consent == ConsentState.Granted && s.Conditions.Preset == "custom");
            Assert.True(status.HasCapacityWh && status.CapacityWh == 40_000, "the status carries the car's capacity");
            Assert.True(status.MaxChargeW > 0 && status.MaxDischargeW > 0);
            WaitForOutput(() => { }, l => l.Contains("Sharing with the aggregator", StringComparison.Ordinal));

            Send("quit");
            Assert.True(_simulator.WaitForExit(20_000), "the simulator did not quit");
            string[] pictures = Directory.GetFiles(screens, "it-1-*.png").Order(StringComparer.Ordinal).ToArray();
            Assert.Contains(pictures, p => p.EndsWith("-ask.png", StringComparison.Ordinal));
            Assert.Contains(pictures, p => p.EndsWith("-limits.png", StringComparison.Ordinal));
            Assert.Contains(pictures, p => p.EndsWith("-live.png", StringComparison.Ordinal));
            VirtualHardware.Panel.PngImage.ReadRgb(File.ReadAllBytes(pictures[^1]), out int width, out int height);
            Assert.Equal((480, 320), (width, height));
        }
        finally
        {
            // A failed step leaves the simulator drawing into the folder: stop it first.
            if (_simulator is { HasExited: false })
            {
                _simulator.Kill(entireProcessTree: true);
                _simulator.WaitForExit();
            }

            Directory.Delete(screens, recursive: true);
        }
    }

    [Fact]
    public async Task The_drivers_phone_answers_with_windows_settlement_and_remember_and_the_car_is_remembered()
    {
        _simulator = StartSimulator("--interactive", "--no-aggregator", "--broker", $"mqtt://127.0.0.1:{_broker!.Port}", "--id", ChargerId, "--speed", "10");
        Assert.Equal("online", Receive<string>(MessageKind.Availability, _ => true, payload => System.Text.Encoding.ASCII.GetString(payload)));
        Send("phone allow");
        WaitForOutput(() => { }, l => l.StartsWith("error: the phone has no consent request", StringComparison.Ordinal));
        Send("plug soc=45 capacity=40000 plc=yes");
        Receive(new ConsentRequestMessage(), _ => true);
        Thread.Sleep(500); // the phone receives the request through the broker too
        Send("phone allow keep=60 sell=22 window=mon-fri,22:00-06:00 window=weekend,00:00-24:00 settlement=points remember=yes");
        WaitForOutput(() => { }, l => l.StartsWith("ok: it-1 phone answered", StringComparison.Ordinal) && l.Contains("\"settlement\":\"points\"", StringComparison.Ordinal));
        ReceiveEvent(EventType.ConsentGranted);
        Receive(new StatusMessage(), s => s.Consent == ConsentState.Granted && s.Conditions.Preset == "custom");
        WaitForOutput(() => Send("console vehicles"), l => l.Contains("1 of 20 cars", StringComparison.Ordinal));

        Send("unplug");
        ReceiveEvent(EventType.SessionEnded);
        Send("plug soc=45 capacity=40000 plc=yes");
        WaitForOutput(() => { }, l => l.Contains("Conditions: my-pattern", StringComparison.Ordinal));
        Send("quit");
        Assert.True(_simulator.WaitForExit(20_000), "the simulator did not quit");
    }

    private Process StartSimulator(params string[] args)
    {
        string testBin = AppContext.BaseDirectory;
        string configuration = new DirectoryInfo(testBin).Parent!.Name;
        string dll = Path.GetFullPath(Path.Combine(testBin, "..", "..", "..", "..", "Simulator", "bin", configuration, "net10.0", "ChargerFirmware.Simulator.dll"));
        Assert.True(File.Exists(dll), $"build the solution first: {dll} is missing");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => _stdout.Enqueue(e.Data ?? string.Empty);
        process.ErrorDataReceived += (_, e) => _stdout.Enqueue("stderr: " + e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void WaitForOutput(Action ask, Func<string, bool> wanted)
    {
        var clock = Stopwatch.StartNew();
        while (!_stdout.Any(wanted))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "not in the output:" + Environment.NewLine + string.Join(Environment.NewLine, _stdout));
            ask();
            Thread.Sleep(500);
        }
    }

    private void Send(string command)
    {
        _simulator!.StandardInput.WriteLine(command);
        _simulator.StandardInput.Flush();
    }

    private async Task<string> Dispatch(int setpointW, long sellMilli)
    {
        string id = "t-" + Interlocked.Increment(ref _seq);
        await Publish(new DispatchMessage
        {
            Id = id,
            Seq = Interlocked.Increment(ref _seq),
            IssuedAtMs = LastStatusAtMs,
            DurationS = 1_800,
            SetpointW = setpointW,
            HasSellPrice = true,
            SellPriceMilli = sellMilli,
            Currency = "JPY",
        }, retain: false);
        return id;
    }

    // The charger's clock runs at x10: dispatches are stamped with the time it last reported.
    private long LastStatusAtMs { get; set; }

    private async Task Publish(Message message, bool retain)
    {
        byte[] buffer = new byte[MessageCodec.MaxPayloadLength];
        int length = _codec.Encode(message, buffer);
        await _aggregator!.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(_topics.ForKind(message.Kind)).WithPayload(buffer[..length])
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag(retain).Build());
    }

    private EventMessage ReceiveEvent(int type) => Receive(new EventMessage(), e => e.Type == type);

    private T Receive<T>(T into, Func<T, bool> wanted)
        where T : Message, new()
    {
        return Receive(into.Kind, wanted, payload =>
        {
            var message = new T();
            Assert.True(_codec.TryDecode(payload, payload.Length, message, out string? reason), reason);
            return message;
        });
    }

    private T Receive<T>(int kind, Func<T, bool> wanted, Func<byte[], T> decode)
    {
        // Messages of other kinds stay for later calls: the link's order between kinds is its own.
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            int index = _seen.FindIndex(m => _topics.Classify(m.Topic) == kind && decode(m.Payload) is T found && wanted(found));
            if (index >= 0)
            {
                T message = decode(_seen[index].Payload);
                _seen.RemoveAt(index);
                return message;
            }

            if (!_received.TryTake(out var item, TimeSpan.FromMilliseconds(100)))
            {
                Assert.False(_simulator!.HasExited, "the simulator exited: " + string.Join(Environment.NewLine, _stdout));
                continue;
            }

            if (_topics.Classify(item.Topic) == MessageKind.Status)
            {
                var status = new StatusMessage();
                if (_codec.TryDecode(item.Payload, item.Payload.Length, status, out _))
                {
                    LastStatusAtMs = status.AtMs;
                }
            }

            _seen.Add(item);
        }

        throw new TimeoutException($"no {kind} message as wanted within 30 s; simulator said:{Environment.NewLine}{string.Join(Environment.NewLine, _stdout)}");
    }
}
