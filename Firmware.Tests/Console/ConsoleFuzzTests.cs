using System.Reflection;
using System.Text;
using ChargerFirmware.Config;
using ChargerFirmware.Status;
using ChargerFirmware.TechConsole;
using ChargerFirmware.VirtualHardware;
using Xunit;

namespace ChargerFirmware.Tests.TechConsole;

/// <summary>
/// Random and mutated lines through the real pipes: no exception escapes, nothing prints
/// "error: internal", and a line the console rejects changes nothing: the status snapshot, the
/// inbox, the settings and the stored files stay as they were.
/// </summary>
public class ConsoleFuzzTests
{
    private static readonly string[] Corpus =
    [
        "status", "status --json", "pilot --json", "session", "consent", "consent stop", "conditions", "conditions list --json",
        "conditions choose cautious", "conditions set night keep-soc 60.5", "conditions set night min-sell 31.25",
        "conditions set night window add mon-fri 22:00-06:00", "conditions set night window clear", "conditions delete night",
        "conditions default balanced", "prices", "dispatch --json", "faults", "faults clear", "config list", "config get tick-ms --json",
        "config set max-current-a 16", "config set tick-ms 10", "config set ventilation on", "config set charger-id bay-7",
        "ledger 3", "ledger balance 2027-01-01 2027-01-02", "ledger balance 2027-01-01T00:00:00Z 2027-01-01T01:00:00+09:00 --json",
        "net", "selftest", "selftest rcd", "selftest contactor", "log 5", "log --json", "login 123456", "login", "logout",
        "pin set 99999999", "pin set", "enable", "disable", "reboot", "reboot force", "help", "help conditions",
    ];

    private static readonly string[] Tokens =
    [
        "--json", "-1", "0", "99999999999999999999", "-9223372036854775808", "24:00-00:00", "mon-", "on", "off", "force",
        "clear", "set", "get", "add", "window", "1.2345", ".", "-", "*", "'", "\"", "\\", "%s", "{}", "null", "NaN",
        "2027-02-29", "9999-12-31T23:59:59Z", "balanced", "leave-to-aggregator", new string('x', 40),
    ];

    private static string Line(Random random)
    {
        switch (random.Next(6))
        {
            case 0:
                return new string(Enumerable.Range(0, random.Next(0, 140)).Select(_ => (char)random.Next(0, 256)).ToArray());
            case 1:
                return new string(Enumerable.Range(0, random.Next(0, 130)).Select(_ => (char)random.Next(0x20, 0x7F)).ToArray());
            case 2:
            {
                var chars = Corpus[random.Next(Corpus.Length)].ToList();
                for (int edits = random.Next(1, 5); edits > 0; edits--)
                {
                    int at = random.Next(chars.Count + 1);
                    char ch = random.Next(4) == 0 ? (char)random.Next(0, 256) : (char)random.Next(0x20, 0x7F);
                    switch (random.Next(3))
                    {
                        case 0 when at < chars.Count:
                            chars[at] = ch;
                            break;
                        case 1 when at < chars.Count:
                            chars.RemoveAt(at);
                            break;
                        default:
                            chars.Insert(at, ch);
                            break;
                    }
                }

                return new string(chars.ToArray());
            }

            case 3:
            {
                string line = Corpus[random.Next(Corpus.Length)];
                return line[..random.Next(line.Length + 1)];
            }

            case 4:
            {
                string[] words = (Corpus[random.Next(Corpus.Length)] + " " + Corpus[random.Next(Corpus.Length)]).Split(' ');
                return string.Join(' ', words.OrderBy(_ => random.Next()).Take(random.Next(1, words.Length + 1)));
            }

            default:
            {
                string[] words = Corpus[random.Next(Corpus.Length)].Split(' ');
                words[random.Next(words.Length)] = Tokens[random.Next(Tokens.Length)];
                return string.Join(' ', words);
            }
        }
    }

    private static string State(ConsoleRig rig)
    {
        var builder = new StringBuilder();
        ChargerStatus status = rig.Rig.Snapshot();
        foreach (FieldInfo field in typeof(ChargerStatus).GetFields())
        {
            builder.Append(field.Name).Append('=').Append(field.GetValue(status)).Append(';');
        }

        for (int i = 0; i < ConfigRegistry.Count; i++)
        {
            builder.Append(ConfigRegistry.Name(i)).Append('=').Append(ConfigRegistry.GetNumber(rig.Rig.Config, i))
                .Append(ConfigRegistry.GetText(rig.Rig.Config, i)).Append(';');
        }

        // The wrong-PIN count is the one thing a reader's tries change, on purpose: it survives a restart.
        foreach (string name in ((MemoryStorage)rig.Rig.Storage).Names.Where(n => n != TechnicianAuth.DefaultFileName + TechnicianAuth.LockSuffix))
        {
            byte[] bytes = new byte[rig.Rig.Storage.Length(name)];
            rig.Rig.Storage.Read(name, 0, bytes, 0, bytes.Length);
            builder.Append(name).Append('=').Append(Convert.ToHexString(bytes)).Append(';');
        }

        builder.Append("inbox=").Append(rig.Rig.Inbox.Count).Append(";dropped=").Append(rig.Rig.Inbox.Dropped);
        return builder.ToString();
    }

    [Fact]
    public void A_hundred_thousand_lines_from_a_reader_change_nothing()
    {
        using var rig = new ConsoleRig();
        string before = State(rig);
        var random = new Random(20261126);
        int lines = 0;
        int errors = 0;
        while (lines < 100_000)
        {
            var batch = new StringBuilder();
            for (int i = 0; i < 200; i++, lines++)
            {
                batch.Append(Line(random)).Append(random.Next(3) switch { 0 => "\r", 1 => "\n", _ => "\r\n" });
            }

            string output = rig.Send(batch.ToString());
            Assert.DoesNotContain("error: internal", output);
            errors += output.Split("error:").Length - 1;
        }

        Assert.True(errors > 50_000, $"only {errors} errors");

        Assert.Equal(before, State(rig));
        Assert.False(rig.Auth.LoggedIn);
        Assert.Contains("state", rig.Run("status"));
    }

    [Fact]
    public void Lines_a_technician_gets_refused_change_nothing()
    {
        using var rig = new ConsoleRig();
        rig.LogIn();
        var random = new Random(7);
        int refused = 0;
        for (int n = 0; n < 20_000; n++)
        {
            string line = Line(random);
            string first = line.TrimStart(' ', '\t').Split(' ', '\t')[0];
            if (first.StartsWith("pin") || first.StartsWith("logout"))
            {
                continue;
            }

            string before = State(rig);
            string output = rig.Run(line);
            Assert.DoesNotContain("error: internal", output);
            if (output.Contains("error:") && !output.Contains("ok:"))
            {
                refused++;
                Assert.Equal(before, State(rig));
            }

            rig.TakeInbox();
            if (!rig.Auth.LoggedIn)
            {
                rig.LogIn();
            }
        }

        Assert.True(refused > 10_000, $"only {refused} lines refused");
    }
}
