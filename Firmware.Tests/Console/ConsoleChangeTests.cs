using ChargerFirmware.Conditions;
using ChargerFirmware.Config;
using ChargerFirmware.Consent;
using ChargerFirmware.Events;
using ChargerFirmware.Faults;
using ChargerFirmware.Panel;
using ChargerFirmware.Persistence;
using ChargerFirmware.Protocol.Messages;
using Xunit;

using PilotState = ChargerFirmware.Drivers.Pilot.PilotState;

namespace ChargerFirmware.Tests.TechConsole;

/// <summary>Every change, from the typed line through the inbox into the running core and back to the screen.</summary>
public class ConsoleChangeTests
{
    private static ConsoleRig LoggedIn(Action<ChargerConfig>? configure = null)
    {
        var rig = new ConsoleRig(configure: configure);
        rig.LogIn();
        return rig;
    }

    private static void OnPower(ConsoleRig rig)
    {
        rig.Rig.Pilot.CarState = PilotState.B;
        rig.Step(20);
        rig.Rig.Tap(PanelButtons.Allow);
        rig.Step(2);
        rig.Rig.Pilot.CarState = PilotState.C;
        rig.Step(50);
        Assert.True(rig.Rig.Charger.ContactorCommand);
    }

    [Fact]
    public void Faults_clear_posts_the_request_and_clears_a_latched_fault()
    {
        using ConsoleRig rig = LoggedIn();
        rig.Rig.Contactor.Welded = true;
        rig.Step(80);
        Assert.True(rig.Rig.Charger.Faults.IsActive(FaultCode.ContactorWelded));
        rig.Rig.Contactor.Welded = false;
        Assert.Equal("ok: latched faults cleared; a fault whose cause persists comes back\r\n", rig.Run("faults clear"));
        rig.Step(2);
        Assert.False(rig.Rig.Charger.Faults.IsActive(FaultCode.ContactorWelded));
        Assert.Contains("request faults clear", rig.Run("log"));
    }

    [Fact]
    public void Disable_and_enable_take_the_charger_out_of_and_back_into_service()
    {
        using ConsoleRig rig = LoggedIn();
        Assert.StartsWith("ok: charger out of service", rig.Run("disable"));
        rig.Step(2);
        Assert.Equal(ChargerState.Disabled, rig.Rig.State);
        Assert.Contains("(out of service)", rig.Run("status"));
        Assert.StartsWith("ok: charger back in service", rig.Run("enable"));
        rig.Step(2);
        Assert.Equal(ChargerState.Idle, rig.Rig.State);
    }

    [Fact]
    public void A_running_setting_is_applied_by_the_loop_and_stored()
    {
        using ConsoleRig rig = LoggedIn();
        Assert.Equal("ok: max-current-a = 16 A applied and stored\r\n", rig.Run("config set max-current-a 16"));
        ControlEvent posted = Assert.Single(rig.TakeInbox());
        Assert.Equal((ControlEventKind.SetConfig, ConfigRegistry.MaxCurrentA, 16L), (posted.Kind, posted.Int1, posted.Long1));
        rig.Rig.Inbox.Post(posted);
        rig.Step();
        Assert.Equal(16, rig.Rig.Config.MaxCurrentA);
        var reloaded = new ChargerConfig();
        Assert.Equal(LoadResults.Valid, new ConfigStore(rig.Rig.Storage, ConfigStore.DefaultFileName).Load(reloaded));
        Assert.Equal(16, reloaded.MaxCurrentA);
        Assert.Contains("config-applied max-current-a", rig.Run("log"));
        Assert.Contains("max-current-a            16 A", rig.Run("config list"));
    }

    [Fact]
    public void A_consent_setting_reaches_the_policy()
    {
        using ConsoleRig rig = LoggedIn();
        rig.Run("config set consent-timeout-ms 30000");
        rig.Step();
        rig.Rig.Pilot.CarState = PilotState.B;
        rig.Step(20);
        Assert.Contains("time left         29 s", rig.Run("consent"));
    }

    [Fact]
    public void A_restart_setting_is_only_stored_and_shown_as_pending()
    {
        using ConsoleRig rig = LoggedIn();
        Assert.Equal("ok: tick-ms = 10 ms stored; takes effect after a restart\r\n", rig.Run("config set tick-ms 10"));
        Assert.Empty(rig.TakeInbox());
        Assert.Equal(20, rig.Rig.Config.TickMs);
        Assert.Contains("stored            10 ms (takes effect after a restart)", rig.Run("config get tick-ms"));
        Assert.Contains("tick-ms                  20 ms  (stored 10 ms, after restart)", rig.Run("config list"));
        Assert.Contains("config-saved tick-ms", rig.Run("log"));
        var reloaded = new ChargerConfig();
        new ConfigStore(rig.Rig.Storage, ConfigStore.DefaultFileName).Load(reloaded);
        Assert.Equal(10, reloaded.TickMs);
    }

    [Theory]
    [InlineData("config set max-current-a 81", "error: max-current-a takes 6 to 80 A; nothing changed\r\n")]
    [InlineData("config set max-current-a 5", "error: max-current-a takes 6 to 80 A; nothing changed\r\n")]
    [InlineData("config set max-current-a sixteen", "error: max-current-a takes 6 to 80 A; nothing changed\r\n")]
    [InlineData("config set tethered-cable-a 3", "error: tethered-cable-a takes 0 to 80 A (0 or at least 6); nothing changed\r\n")]
    [InlineData("config set ventilation maybe", "error: ventilation takes on or off; nothing changed\r\n")]
    [InlineData("config set currency jpy", "error: currency takes 3 to 3 capital letters; nothing changed\r\n")]
    [InlineData("config set charger-id bay/7", "error: charger-id takes 1 to 32 letters, digits, '-' or '_'; nothing changed\r\n")]
    [InlineData("config set colour blue", "error: no such setting; see 'config list'\r\n")]
    [InlineData("config set max-current-a", "error: bad arguments\r\nusage: config list [--json] | config get KEY [--json] | config set KEY VALUE\r\n")]
    public void Invalid_settings_change_nothing(string line, string error)
    {
        using ConsoleRig rig = LoggedIn();
        Assert.Equal(error, rig.Run(line));
        Assert.Empty(rig.TakeInbox());
        Assert.False(rig.Rig.Storage.Exists(ConfigStore.DefaultFileName));
    }

    [Fact]
    public void Booleans_and_texts_are_set_by_name()
    {
        using ConsoleRig rig = LoggedIn();
        Assert.Equal("ok: ventilation = on applied and stored\r\n", rig.Run("config set ventilation on"));
        Assert.Equal("ok: charger-id = bay-7 stored; takes effect after a restart\r\n", rig.Run("config set charger-id bay-7"));
        rig.Step();
        Assert.True(rig.Rig.Config.VentilationAvailable);
        Assert.Equal("charger-1", rig.Rig.Config.ChargerId);
    }

    [Fact]
    public void Turning_echo_on_shows_a_prompt_after_the_loop_applied_it()
    {
        using ConsoleRig rig = LoggedIn();
        rig.Run("config set console-echo on");
        rig.Step();
        Assert.EndsWith("charger-1# ", rig.Run("prices"));
    }

    [Fact]
    public void A_custom_preset_is_created_edited_made_default_and_deleted()
    {
        using ConsoleRig rig = LoggedIn();
        Assert.StartsWith("ok: preset 'night' keep-soc sent", rig.Run("conditions set night keep-soc 60.5"));
        rig.Run("conditions set night min-sell 31.25");
        rig.Run("conditions set night delegated on");
        rig.Run("conditions set night settlement points");
        rig.Run("conditions set night window add mon-fri 22:00-06:00");
        rig.Run("conditions set night window add weekend 00:00-24:00");
        rig.Step();
        string list = rig.Run("conditions list");
        Assert.Contains("night                 custom  keep 60.5 %  prices left to the aggregator  points  weekdays 22:00-06:00; weekend 00:00-24:00", list);
        int index = rig.Rig.Policy.Presets.IndexOf("night");
        Assert.Equal(31_250, rig.Rig.Policy.Presets.Get(index).MinSellPriceMilli);

        rig.Run("conditions set night window clear");
        rig.Run("conditions default night");
        rig.Step();
        Assert.Contains("night*", rig.Run("conditions list"));
        Assert.Contains("always", rig.Run("conditions list"));

        var reloaded = new PresetStore(rig.Rig.Storage, PresetStore.DefaultFileName, Settlement.Offset);
        Assert.Equal(LoadResults.Valid, reloaded.Load());
        Assert.Equal(reloaded.IndexOf("night"), reloaded.DefaultIndex);

        rig.Run("conditions delete night");
        rig.Step();
        Assert.DoesNotContain("night", rig.Run("conditions list"));
        Assert.Contains("preset-edited night delete ok", rig.Run("log"));
    }

    [Theory]
    [InlineData("conditions set balanced keep-soc 60", "error: built-in presets cannot be changed; set a custom one\r\n")]
    [InlineData("conditions delete cautious", "error: built-in presets cannot be changed; set a custom one\r\n")]
    [InlineData("conditions delete nothing", "error: no preset 'nothing'; see 'conditions list'\r\n")]
    [InlineData("conditions default nothing", "error: no preset 'nothing'; see 'conditions list'\r\n")]
    [InlineData("conditions choose balanced", "error: conditions are chosen only while the driver is asked (consent pending); nothing done\r\n")]
    public void Preset_changes_that_cannot_be_done_are_refused(string line, string error)
    {
        using ConsoleRig rig = LoggedIn();
        Assert.Equal(error, rig.Run(line));
        Assert.Empty(rig.TakeInbox());
    }

    [Theory]
    [InlineData("conditions set night keep-soc 100.1")]
    [InlineData("conditions set night keep-soc -1")]
    [InlineData("conditions set night min-sell 10000.001")]
    [InlineData("conditions set night max-buy cheap")]
    [InlineData("conditions set night delegated perhaps")]
    [InlineData("conditions set night settlement cash")]
    [InlineData("conditions set night window add someday 22:00-06:00")]
    [InlineData("conditions set night window add mon 22:00-22:00")]
    [InlineData("conditions set night window add mon 22:00")]
    [InlineData("conditions set night colour red")]
    [InlineData("conditions set night keep-soc")]
    [InlineData("conditions rename night day")]
    [InlineData("conditions choose")]
    public void Bad_preset_values_get_the_usage(string line)
    {
        using ConsoleRig rig = LoggedIn();
        Assert.StartsWith("error: bad arguments\r\nusage: conditions", rig.Run(line));
        Assert.Empty(rig.TakeInbox());
    }

    [Fact]
    public void A_preset_is_offered_to_the_driver_being_asked_who_still_decides()
    {
        using ConsoleRig rig = LoggedIn();
        rig.Rig.Pilot.CarState = PilotState.B;
        rig.Step(20);
        Assert.Equal("ok: 'cautious' offered to the driver, who still decides\r\n", rig.Run("conditions choose cautious"));
        rig.Step();
        Assert.Equal("cautious", rig.Rig.Policy.Consent.Conditions.Name);
        Assert.Equal(ConsentStates.Pending, rig.Rig.Policy.Consent.State);
        Assert.Equal("error: no preset 'nothing'; see 'conditions list'\r\n", rig.Run("conditions choose nothing"));
    }

    [Fact]
    public void Consent_stop_withdraws_a_granted_consent_only()
    {
        using ConsoleRig rig = LoggedIn();
        Assert.Equal("error: not sharing (consent is none); nothing done\r\n", rig.Run("consent stop"));
        OnPower(rig);
        Assert.StartsWith("ok: sharing stopped", rig.Run("consent stop"));
        rig.Step(2);
        Assert.Equal(ConsentStates.Revoked, rig.Rig.Policy.Consent.State);
        Assert.Equal("error: not sharing (consent is revoked); nothing done\r\n", rig.Run("consent stop"));
    }

    [Fact]
    public void The_rcd_self_test_runs_on_request_and_reports()
    {
        using ConsoleRig rig = LoggedIn();
        Assert.Equal("ok: rcd self-test started; read the result with 'selftest'\r\n", rig.Run("selftest rcd"));
        rig.Step(10);
        Assert.Contains("rcd               passed", rig.Run("selftest"));
        Assert.Contains("selftest rcd passed", rig.Run("log"));
    }

    [Fact]
    public void The_contactor_self_test_passes_without_ever_driving_the_contactor()
    {
        using ConsoleRig rig = LoggedIn();
        int operations = rig.Rig.Contactor.Operations;
        Assert.StartsWith("ok: contactor self-test started", rig.Run("selftest contactor"));
        rig.Step(10);
        Assert.Contains("contactor         running", rig.Run("selftest"));
        rig.Step(50);
        Assert.Contains("contactor         passed", rig.Run("selftest"));
        Assert.Equal(operations, rig.Rig.Contactor.Operations);
        Assert.False(rig.Rig.Contactor.Driven);
    }

    [Fact]
    public void A_welded_contactor_fails_the_self_test_and_raises_the_fault()
    {
        using ConsoleRig rig = LoggedIn();
        rig.Rig.Contactor.Welded = true;
        rig.Run("selftest contactor");
        rig.Step(2);
        Assert.Contains("contactor         failed", rig.Run("selftest"));
        Assert.True(rig.Rig.Charger.Faults.IsActive(FaultCode.ContactorWelded));
        Assert.False(rig.Rig.Contactor.Driven);
    }

    [Fact]
    public void Self_tests_and_a_plain_reboot_are_refused_while_a_vehicle_is_on_power()
    {
        using ConsoleRig rig = LoggedIn();
        OnPower(rig);
        Assert.Equal("error: refused: a vehicle is on power (end the session or 'disable' first)\r\n", rig.Run("selftest rcd"));
        Assert.Equal("error: refused: a vehicle is on power (end the session or 'disable' first)\r\n", rig.Run("selftest contactor"));
        Assert.Equal("error: a vehicle is on power; 'reboot force' ramps it down and opens the contactor first\r\n", rig.Run("reboot"));
        Assert.Empty(rig.TakeInbox());
    }

    [Fact]
    public void Reboot_restarts_once_the_contactor_reads_open()
    {
        using ConsoleRig rig = LoggedIn();
        Assert.Equal("ok: restarting once the contactor reads open\r\n", rig.Run("reboot"));
        rig.Step(2);
        Assert.Equal(1, rig.System.Reboots);
        Assert.Contains("rebooting", rig.Run("log"));
    }

    [Fact]
    public void Reboot_force_ramps_down_and_opens_before_restarting()
    {
        using ConsoleRig rig = LoggedIn();
        OnPower(rig);
        rig.Run("reboot force");
        rig.Step();
        Assert.Equal(0, rig.System.Reboots);
        Assert.Contains("(restart pending)", rig.Run("status"));
        rig.Step(5);
        Assert.False(rig.Rig.Contactor.Driven);
        Assert.Equal(1, rig.System.Reboots);
    }

    [Fact]
    public void A_full_inbox_changes_nothing_and_says_so()
    {
        using ConsoleRig rig = LoggedIn();
        while (rig.Rig.Inbox.Post(ControlEventKind.None, 0, 0, null, null))
        {
        }

        Assert.Equal("error: the control loop is busy; nothing done, try again\r\n", rig.Run("config set max-current-a 16"));
        Assert.False(rig.Rig.Storage.Exists(ConfigStore.DefaultFileName));
    }
}

public class ConsoleSettingsFaultTests
{
    [Fact]
    public void Status_reports_a_corrupt_settings_file()
    {
        using var rig = new ConsoleRig();
        rig.Rig.Storage.WriteAtomic(ConfigStore.DefaultFileName, [9, 9, 9], 0, 3);
        rig.ConfigStore.Load(new ChargerConfig());
        Assert.Contains("settings          corrupt (FAULT: defaults in force or last save failed)", rig.Run("status"));
    }
}

public class ConsoleSecretTests
{
    [Fact]
    public void The_broker_password_is_stored_but_never_shown_echoed_or_logged()
    {
        using var rig = new ConsoleRig(echo: true);
        rig.LogIn();
        string set = rig.Run("config set broker-password s3cr3t-PW");
        Assert.DoesNotContain("s3cr3t", set);
        Assert.Contains("config set broker-password *********", set);
        Assert.Contains("ok: broker-password = (set) stored; takes effect after a restart", set);
        foreach (string read in new[] { "config list", "config list --json", "config get broker-password", "config get broker-password --json", "log 32", "log 32 --json", "status --json", "net" })
        {
            Assert.DoesNotContain("s3cr3t", rig.Run(read));
        }

        Assert.Contains("(set)", rig.Run("config get broker-password"));
        var stored = new ChargerConfig();
        new ConfigStore(rig.Rig.Storage, ConfigStore.DefaultFileName).Load(stored);
        Assert.Equal("s3cr3t-PW", stored.BrokerPassword);
        Assert.StartsWith("ok: broker-password = (not set)", rig.Run("config set broker-password \"\"").Split("\r\n")[1]);
    }

    // Spacing and case a technician (or a paste) may add: the console still runs the command, so the mask must hold.
    public static TheoryData<string, string> SecretLines()
    {
        var lines = new TheoryData<string, string>();
        string[] shapes = ["{0}", " {0}", "   {0}", "{0}  ", "{1}", "\t{0}"];
        for (int i = 0; i < ConfigRegistry.Count; i++)
        {
            if (!ConfigRegistry.IsSecret(i))
            {
                continue;
            }

            string key = ConfigRegistry.Name(i);
            foreach (string shape in shapes)
            {
                string plain = $"config set {key} Zq9-secret-value";
                string spaced = $"config  set   {key}  Zq9-secret-value";
                lines.Add(string.Format(shape, plain, spaced), "Zq9-secret-value");
            }
        }

        foreach (string line in new[] { " login 246810", "login  246810", "  login   246810 ", "\tlogin\t246810", "LOGIN 246810" })
        {
            lines.Add(line, ConsoleRig.Pin);
        }

        return lines;
    }

    [Theory]
    [MemberData(nameof(SecretLines))]
    public void Every_secret_is_masked_by_the_parsed_command_whatever_the_spacing(string line, string secret)
    {
        using var rig = new ConsoleRig(echo: true);
        if (line.TrimStart().StartsWith("config", StringComparison.Ordinal))
        {
            rig.LogIn();
        }

        string answer = rig.Run(line);
        Assert.DoesNotContain(secret, answer);
        Assert.DoesNotContain(secret[..4], answer);
    }

    [Fact]
    public void The_wifi_password_and_the_pin_in_odd_spacing_work_and_stay_hidden()
    {
        using var rig = new ConsoleRig(echo: true);
        string login = rig.Run(" login  " + ConsoleRig.Pin);
        Assert.Contains("ok: logged in", login);
        Assert.DoesNotContain(ConsoleRig.Pin, login);

        string set = rig.Run("config  set wifi-password W1fi-Secret");
        Assert.Contains("ok: wifi-password = (set)", set);
        Assert.DoesNotContain("W1fi", set);
        string pin = rig.Run("pin   set  13572468");
        Assert.Contains("ok: PIN changed", pin);
        Assert.DoesNotContain("1357", pin);

        var stored = new ChargerConfig();
        new ConfigStore(rig.Rig.Storage, ConfigStore.DefaultFileName).Load(stored);
        Assert.Equal("W1fi-Secret", stored.WifiPassword);
    }

    [Fact]
    public void Only_the_secret_is_masked_not_the_command_or_a_plain_setting()
    {
        using var rig = new ConsoleRig(echo: true);
        rig.LogIn();
        Assert.Contains("config set broker-password *********", rig.Run("config set broker-password s3cr3t-PW"));
        Assert.Contains("config set broker-user ops-team", rig.Run("config set broker-user ops-team"));
        Assert.Contains("config set wifi-ssid depot-net", rig.Run("config set wifi-ssid depot-net"));
    }

    [Fact]
    public void Status_shows_the_settings_as_they_are_now_not_as_they_were_loaded()
    {
        using var rig = new ConsoleRig();
        rig.ConfigStore.Load(new ChargerConfig());
        Assert.Contains("settings          missing\r\n", rig.Run("status"));

        rig.LogIn();
        Assert.Contains("ok: max-current-a = 16 A applied and stored", rig.Run("config set max-current-a 16"));
        Assert.Contains("settings          stored\r\n", rig.Run("status"));
        Assert.Contains("\"settings\":\"stored\"", rig.Run("status --json"));
    }

    [Fact]
    public void The_field_bus_timing_is_a_setting_with_its_range_applied_to_the_running_bus()
    {
        using var rig = new ConsoleRig();
        string get = rig.Run("config get modbus-timeout-ms");
        Assert.Contains("300 ms", get);
        Assert.Contains("20 to 2000", get);
        foreach (string key in new[] { "modbus-timeout-ms", "modbus-gap-ms", "modbus-retries", "modbus-backoff-max-ms", "converter-poll-ms", "modem-poll-ms" })
        {
            Assert.Contains(key, rig.Run("config list"));
        }

        rig.LogIn();
        Assert.Contains("error: modbus-timeout-ms takes 20 to 2000 ms", rig.Run("config set modbus-timeout-ms 5"));
        Assert.Contains("ok: modbus-timeout-ms = 800 ms applied and stored", rig.Run("config set modbus-timeout-ms 800"));
        rig.Step();
        Assert.Equal(800, rig.Rig.Config.FieldBus.ResponseTimeoutMs);
        Assert.Contains("ok: converter-poll-ms = 400 ms applied and stored", rig.Run("config set converter-poll-ms 400"));
        rig.Step();
        Assert.Equal(400, rig.Rig.Config.ConverterBus.CyclePeriodMs);
    }
}
