using Xunit;

namespace ChargerFirmware.Tests.TechConsole;

/// <summary>Line editing and input hygiene, through the real pipes.</summary>
public class ConsoleInputTests
{
    [Theory]
    [InlineData("\r")]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void Each_line_ending_runs_the_line_once(string ending)
    {
        using var rig = new ConsoleRig();
        string answer = rig.Send("prices" + ending + "prices" + ending);
        Assert.Equal(2, Count(answer, "valid"));
        Assert.DoesNotContain("error", answer);
    }

    [Fact]
    public void Cr_lf_is_one_line_ending_not_an_extra_empty_line()
    {
        using var rig = new ConsoleRig(echo: true);
        string answer = rig.Send("\r\n\r\n");
        Assert.Equal(2, Count(answer, "charger-1> "));
    }

    [Fact]
    public void Backspace_and_delete_edit_the_line()
    {
        using var rig = new ConsoleRig();
        Assert.Contains("valid", rig.Send("pricez\bs\r"));
        Assert.Contains("valid", rig.Send("pricesx\x7f\r"));
        Assert.Contains("no active fault", rig.Send("\b\bfaults\r"));
    }

    [Fact]
    public void Echo_shows_typing_erasure_and_a_prompt_and_is_off_for_scripts()
    {
        using var echo = new ConsoleRig(echo: true);
        string answer = echo.Send("net\bt\r");
        Assert.StartsWith("net\b \bt\r\n", answer);
        Assert.EndsWith("charger-1> ", answer);
        using var script = new ConsoleRig(echo: false);
        string quiet = script.Send("net\r");
        Assert.StartsWith("broker", quiet);
        Assert.DoesNotContain(">", quiet);
    }

    [Fact]
    public void A_line_of_the_limit_runs_and_a_longer_one_is_rejected_whole()
    {
        using var rig = new ConsoleRig();
        Assert.Contains("valid", rig.Run("prices".PadRight(120)));
        string answer = rig.Run("prices".PadRight(121));
        Assert.Equal("error: line longer than 120 characters; nothing done\r\n", answer);
        Assert.Contains("valid", rig.Run("prices"));
    }

    [Theory]
    [InlineData("faults clear\x1b[A", "error: control character 0x1B in line; nothing done\r\n")]
    [InlineData("faults \u0001clear", "error: control character 0x01 in line; nothing done\r\n")]
    [InlineData("faults cl\u00e9ar", "error: non-ASCII byte 0xE9 in line; nothing done\r\n")]
    public void Control_characters_and_non_ascii_reject_the_line_which_never_runs(string line, string error)
    {
        using var rig = new ConsoleRig();
        rig.LogIn();
        Assert.Equal(error, rig.Run(line));
        Assert.Empty(rig.TakeInbox());
    }

    [Fact]
    public void Tab_is_a_space_nul_is_ignored_and_ctrl_c_drops_the_line()
    {
        using var rig = new ConsoleRig();
        rig.LogIn();
        Assert.Contains("valid", rig.Send("prices\t\r\0\n"));
        Assert.Equal(string.Empty, rig.Send("faults clear\x03\r"));
        Assert.Empty(rig.TakeInbox());
    }

    [Fact]
    public void Unknown_commands_and_bad_arguments_get_one_error_line_and_the_usage()
    {
        using var rig = new ConsoleRig();
        Assert.Equal("error: unknown command 'frobnicate'; type 'help'\r\n", rig.Run("frobnicate now"));
        Assert.Equal("error: unknown command '--json'; type 'help'\r\n", rig.Run("--json"));
        Assert.Equal("error: bad arguments\r\nusage: status [--json]\r\n", rig.Run("status now"));
        Assert.Equal("error: bad arguments\r\nusage: config list [--json] | config get KEY [--json] | config set KEY VALUE\r\n", rig.Run("config"));
        Assert.Equal("error: --json is only for reading\r\nusage: reboot [force]\r\n", rig.Run("reboot --json"));
        Assert.Equal("error: more than 12 words; type 'help'\r\n", rig.Run("a b c d e f g h i j k l m"));
        Assert.Equal(string.Empty, rig.Run("   "));
    }

    [Fact]
    public void An_unexpected_failure_prints_error_internal_and_no_detail()
    {
        using var rig = new ConsoleRig(openLedger: false);
        string answer = rig.Run("ledger");
        Assert.EndsWith("error: internal\r\n", answer);
        Assert.DoesNotContain("Exception", answer);
        Assert.DoesNotContain("journal", answer);
        Assert.Contains("valid", rig.Run("prices"));
    }

    [Fact]
    public void The_console_stops_when_its_stream_ends()
    {
        using var rig = new ConsoleRig();
        rig.Console.Start();
        rig.EndInput();
        rig.Console.Stop();
    }

    [Fact]
    public void Help_documents_every_command_with_usage_and_paragraph()
    {
        using var rig = new ConsoleRig();
        string list = rig.Run("help");
        foreach (string name in new[] { "status", "pilot", "session", "consent", "conditions", "prices", "dispatch", "faults", "config", "ledger", "net", "selftest", "log", "login", "logout", "pin", "enable", "disable", "reboot", "help" })
        {
            Assert.Contains("  " + name, list);
            string help = rig.Run("help " + name);
            Assert.StartsWith("usage: " + name, help);
            Assert.True(help.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length >= 2, name);
            Assert.All(help.Split("\r\n"), line => Assert.True(line.Length <= 80 || line.StartsWith("usage:"), line));
        }

        Assert.Equal("error: unknown command 'nope'; type 'help'\r\n", rig.Run("help nope"));
    }

    private static int Count(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    [Fact]
    public void Ctrl_l_clears_the_screen_and_redraws_the_prompt_and_the_line()
    {
        using var rig = new ConsoleRig(echo: true);
        rig.Send("stat");
        string redrawn = rig.Send("\x0c");
        Assert.Equal("\x1b[2J\x1b[Hcharger-1> stat", redrawn);
        Assert.Contains("state", rig.Send("us\r"));

        rig.Send("login 2468");
        Assert.Equal("\x1b[2J\x1b[Hcharger-1> login ****", rig.Send("\x0c"));
        Assert.Contains("ok: logged in", rig.Send("10\r"));
    }

    [Fact]
    public void Ctrl_l_at_a_pin_prompt_keeps_the_prompt_and_the_mask()
    {
        using var rig = new ConsoleRig(echo: true);
        rig.Run("login");
        rig.Send("246");
        Assert.Equal("\x1b[2J\x1b[HPIN: ***", rig.Send("\x0c"));
        Assert.Contains("ok: logged in", rig.Send("810\r"));
    }
}
