using System.Text.Json;
using ChargerFirmware.Config;
using ChargerFirmware.Diagnostics;
using ChargerFirmware.Panel;
using ChargerFirmware.Protocol.Messages;
using ChargerFirmware.Tests.Ledger;
using Xunit;

using PilotState = ChargerFirmware.Drivers.Pilot.PilotState;

namespace ChargerFirmware.Tests.TechConsole;

/// <summary>Every read command, in text and in --json, against a charging session.</summary>
public class ConsoleReadTests
{
    private static ConsoleRig Charging()
    {
        var rig = new ConsoleRig();
        rig.Rig.Pilot.CarState = PilotState.B;
        rig.Step(20);
        rig.Rig.Tap(PanelButtons.Allow);
        rig.Step(2);
        rig.Rig.Pilot.CarState = PilotState.C;
        rig.Rig.ReportVehicle(543);
        rig.Step(50);
        Assert.True(rig.Rig.Charger.ContactorCommand);
        for (int n = 0; n < 3; n++)
        {
            rig.Ledger.Append(LedgerFixtures.Record(n));
        }

        rig.Acks.Record(new DispatchAckMessage { Id = "d-1", Status = DispatchStatus.Rejected, Reason = "no-consent", AtMs = rig.Rig.Clock.UtcMs });
        rig.Link.Broker = "broker.example:8883";
        rig.Link.Connected = true;
        rig.Link.ConnectedSinceMs = rig.Rig.Clock.MonotonicMs;
        rig.Log.Add(LogCodes.FaultRaised, 4, 0, null);
        return rig;
    }

    public static TheoryData<string, string[]> JsonForms => new()
    {
        { "status --json", ["state", "pilot", "faults", "consent", "role", "linkConnected", "ledgerUnsent", "settings", "settingsFault"] },
        { "pilot --json", ["state", "highMv", "lowMv", "dutyPermille", "offeredMa", "cableA"] },
        { "session --json", ["sessionId", "socPermille", "importWh", "targetW", "limitReason", "aggregatorInControl"] },
        { "consent --json", ["state", "decidedBy", "decidedAgoMs", "conditions", "remainingMs"] },
        { "conditions --json", ["standing", "conditions"] },
        { "conditions list --json", ["presets", "fault"] },
        { "prices --json", ["valid", "buyPrice", "sellPrice", "currency"] },
        { "dispatch --json", ["holding", "acks", "highestSeq"] },
        { "faults --json", ["active"] },
        { "config list --json", ["settings"] },
        { "config get max-current-a --json", ["name", "type", "unit", "value", "stored", "min", "max", "restartNeeded", "description"] },
        { "ledger --json", ["unsent", "records", "lastId"] },
        { "ledger 20 --json", ["records"] },
        { "ledger balance 2027-01-01 2027-01-01 --json", ["importWh", "exportWh", "purchases", "earnings", "net", "byKind", "complete"] },
        { "net --json", ["present", "broker", "connected", "backoffMs", "messagesIn"] },
        { "selftest --json", ["rcd", "contactor"] },
        { "log --json", ["events"] },
        { "log 32 --json", ["events"] },
    };

    [Theory]
    [MemberData(nameof(JsonForms))]
    public void Every_read_command_has_a_one_line_json_form(string command, string[] members)
    {
        using ConsoleRig rig = Charging();
        string answer = rig.Run(command);
        Assert.EndsWith("\r\n", answer);
        Assert.Single(answer.Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
        using JsonDocument doc = JsonDocument.Parse(answer);
        foreach (string member in members)
        {
            Assert.True(doc.RootElement.TryGetProperty(member, out _), $"{command}: {member} missing in {answer}");
        }
    }

    [Fact]
    public void Status_and_session_show_the_session_on_power()
    {
        using ConsoleRig rig = Charging();
        string status = rig.Run("status");
        Assert.Contains("state             paused", status);
        Assert.Contains("reason            awaiting-dispatch", status);
        Assert.Contains("pilot             C, offering 32.0 A", status);
        Assert.Contains("contactor         closed (feedback closed)", status);
        Assert.Contains("consent           granted, session ", status);
        Assert.Contains("link              connected to broker.example", status);
        Assert.Contains("ledger            3 record(s) not sent", status);
        string session = rig.Run("session");
        Assert.Contains("conditions        balanced", session);
        Assert.Contains("state of charge   54.3 %", session);
        Assert.Contains("control           charger", session);
        using JsonDocument doc = JsonDocument.Parse(rig.Run("session --json"));
        Assert.Equal(543, doc.RootElement.GetProperty("socPermille").GetInt32());
        Assert.Equal(rig.Rig.Snapshot().SessionId, doc.RootElement.GetProperty("sessionId").GetString());
    }

    [Fact]
    public void Pilot_shows_levels_duty_and_offer()
    {
        using ConsoleRig rig = Charging();
        string pilot = rig.Run("pilot");
        Assert.Contains("state             C", pilot);
        Assert.Contains(" mV", pilot);
        Assert.Contains("duty              5.0 % (digital communication)", pilot);
        Assert.Contains("offered           32.0 A", pilot);
        using var idle = new ConsoleRig();
        Assert.Contains("duty              100.0 % (steady, no PWM)", idle.Run("pilot"));
    }

    [Fact]
    public void Consent_shows_time_left_while_pending_and_who_decided_after()
    {
        using var rig = new ConsoleRig();
        Assert.Contains("state             none", rig.Run("consent"));
        rig.Rig.Pilot.CarState = PilotState.B;
        rig.Step(20);
        string pending = rig.Run("consent");
        Assert.Contains("state             pending", pending);
        Assert.Contains("time left         119 s", pending);
        Assert.Contains("on offer          balanced", pending);
        rig.Rig.Tap(PanelButtons.Deny);
        rig.Step(2);
        Assert.Contains("decided by        panel, 0 s ago", rig.Run("consent"));
    }

    [Fact]
    public void Conditions_show_the_offer_and_the_presets()
    {
        using ConsoleRig rig = Charging();
        string shown = rig.Run("conditions");
        Assert.Contains("standing          in-force", shown);
        Assert.Contains("keep-soc          50.0 %", shown);
        Assert.Contains("min-sell          25.000 JPY/kWh", shown);
        Assert.Contains("windows           always", shown);
        string list = rig.Run("conditions list");
        Assert.Contains("balanced*", list);
        Assert.Contains("leave-to-aggregator", list);
        Assert.Contains("prices left to the aggregator", list);
        using var none = new ConsoleRig();
        Assert.StartsWith("no vehicle", none.Run("conditions"));
    }

    [Fact]
    public void Prices_and_dispatch_show_the_aggregator_side()
    {
        using ConsoleRig rig = Charging();
        Assert.Contains("valid             no", rig.Run("prices"));
        rig.Rig.SendPrices(12_000, 30_500);
        rig.Step(2);
        string prices = rig.Run("prices");
        Assert.Contains("buy               12.000 JPY/kWh", prices);
        Assert.Contains("sell              30.500 JPY/kWh", prices);
        string dispatch = rig.Run("dispatch");
        Assert.Contains("order             none", dispatch);
        Assert.Contains("d-1 rejected (no-consent)", dispatch);
    }

    [Fact]
    public void Faults_list_active_faults_with_their_policy()
    {
        using var rig = new ConsoleRig();
        rig.Rig.Contactor.Welded = true;
        rig.Step(80);
        string faults = rig.Run("faults");
        Assert.Contains("contactor-welded        latched", faults);
        using JsonDocument doc = JsonDocument.Parse(rig.Run("faults --json"));
        Assert.Contains(doc.RootElement.GetProperty("active").EnumerateArray(), f => f.GetProperty("name").GetString() == "contactor-welded");
    }

    [Fact]
    public void Config_lists_and_explains_settings()
    {
        using var rig = new ConsoleRig();
        string list = rig.Run("config list");
        Assert.Equal(ConfigRegistry.Count, list.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("max-current-a            32 A", list);
        Assert.Contains("ventilation              off", list);
        string item = rig.Run("config get utc-offset-min");
        Assert.Contains("value             540 min", item);
        Assert.Contains("range             -720 to 840", item);
        Assert.Contains("restart needed    no", item);
        Assert.Equal("error: no such setting; see 'config list'\r\n", rig.Run("config get colour"));
    }

    [Fact]
    public void Ledger_shows_recent_records_and_balances_a_period()
    {
        using ConsoleRig rig = Charging();
        string recent = rig.Run("ledger 2");
        Assert.Contains("held              3, not sent 3", recent);
        Assert.DoesNotContain("#1 ", recent);
        Assert.Contains("#2 2027-01-01T00:01:00Z own-charge 107 Wh at 25.001", recent);
        Assert.Contains("#3 ", recent);
        string balance = rig.Run("ledger balance 2027-01-01T00:00:00Z 2027-01-01T00:02:00Z");
        Assert.Contains("records           2", balance);
        Assert.Contains("bought            207 Wh", balance);
        Assert.StartsWith("error: FROM and TO", rig.Run("ledger balance yesterday today"));
        Assert.Equal("error: TO must come after FROM\r\n", rig.Run("ledger balance 2027-01-02 2027-01-01T00:00:00Z"));
        Assert.StartsWith("error: bad arguments", rig.Run("ledger 21"));
    }

    [Fact]
    public void Net_shows_the_link_and_no_secret()
    {
        using ConsoleRig rig = Charging();
        rig.Link.Connected = false;
        rig.Link.LastError = "tls handshake failed";
        rig.Link.ReconnectAttempts = 1;
        rig.Link.BackoffMs = 8000;
        string net = rig.Run("net");
        Assert.Contains("broker            broker.example:8883", net);
        Assert.Contains("connection        disconnected", net);
        Assert.Contains("1 attempt(s), backoff 8000 ms", net);
        Assert.Contains("last error        tls handshake failed", net);
    }

    [Fact]
    public void Log_shows_recent_events_oldest_first()
    {
        using ConsoleRig rig = Charging();
        rig.Log.Add(LogCodes.ConfigApplied, ConfigRegistry.MaxCurrentA, 0, null);
        string log = rig.Run("log");
        string[] lines = log.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith("config-applied max-current-a", lines[^1]);
        Assert.EndsWith("fault-raised rcd-trip", lines[^2]);
        Assert.Single(rig.Run("log 1").Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
        using var fresh = new ConsoleRig();
        Assert.EndsWith(" boot\r\n", fresh.Run("log"));
    }
}

public class ConsoleLargeAnswerTests
{
    [Fact]
    public void The_longest_lists_stream_out_as_valid_json()
    {
        using var rig = new ConsoleRig();
        rig.LogIn();
        for (int p = 0; p < ChargerFirmware.Conditions.PresetStore.MaxCustom; p++)
        {
            string name = "custom-preset-number-" + p;
            for (int w = 0; w < ChargerFirmware.Conditions.TimeWindows.Capacity; w++)
            {
                rig.Run($"conditions set {name} window add mon,wed,fri,sun 0{w}:00-1{w}:59");
                rig.Step();
            }
        }

        for (int n = 0; n < 20; n++)
        {
            var record = LedgerFixtures.Record(n, ChargerFirmware.Protocol.Messages.LedgerKind.AggregatorDischarge, dispatch: new string('d', 255));
            record.SessionId = new string('s', 255);
            record.VehicleId = new string('v', 255);
            rig.Ledger.Append(record);
        }

        for (int n = 0; n < rig.Log.Capacity; n++)
        {
            rig.Log.Add(LogCodes.Plugged, 0, 0, new string('x', 255));
        }

        foreach (string command in new[] { "conditions list --json", "ledger 20 --json", "log 32 --json" })
        {
            string answer = rig.Run(command);
            Assert.Single(answer.Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
            using JsonDocument doc = JsonDocument.Parse(answer);
            Assert.DoesNotContain("[null", answer);
            Assert.DoesNotContain(",null", answer);
            Assert.DoesNotContain("did not fit", answer);
        }

        using JsonDocument presets = JsonDocument.Parse(rig.Run("conditions list --json"));
        Assert.Equal(11, presets.RootElement.GetProperty("presets").GetArrayLength());
        Assert.Equal(8, presets.RootElement.GetProperty("presets")[10].GetProperty("windows").GetArrayLength());
        using JsonDocument records = JsonDocument.Parse(rig.Run("ledger 20 --json"));
        Assert.Equal(20, records.RootElement.GetProperty("records").GetArrayLength());
        using JsonDocument events = JsonDocument.Parse(rig.Run("log 32 --json"));
        Assert.Equal(32, events.RootElement.GetProperty("events").GetArrayLength());
    }

    [Fact]
    public void Faults_and_status_show_why_the_converter_and_the_module_cannot_be_used()
    {
        using var rig = new ConsoleRig();
        rig.Rig.Converter.Ready = false;
        rig.Rig.Converter.Problem = ChargerFirmware.Drivers.Converter.ConverterProblems.BadRateScale;
        rig.Rig.Converter.ProblemDetail = 11;
        rig.Rig.Modem.Answers = false;
        rig.Rig.Modem.Problem = ChargerFirmware.Drivers.Modem.ModemProblems.WrongMapId;
        rig.Step(10);

        string faults = rig.Run("faults");
        Assert.Contains("converter-scale-factor  self-clearing InOutWRte_SF missing or out of range (raw 11)", faults);
        Assert.Contains("modem-map               warning       register 0 reads 7, not the map id", faults);

        string status = rig.Run("status");
        Assert.Contains("state             fault", status);
        Assert.Contains("reason            fault", status);
        Assert.Contains("converter         InOutWRte_SF missing or out of range (raw 11)", status);
        Assert.Contains("15118 module      register 0 reads 7", status);

        using JsonDocument json = JsonDocument.Parse(rig.Run("faults --json"));
        JsonElement first = json.RootElement.GetProperty("active")[0];
        Assert.Equal("converter-scale-factor", first.GetProperty("name").GetString());
        Assert.StartsWith("InOutWRte_SF", first.GetProperty("cause").GetString());
    }
}
