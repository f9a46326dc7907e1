using ChargerFirmware.Drivers;
using ChargerFirmware.Drivers.Storage;
using Xunit;

namespace ChargerFirmware.Tests.Device;

public class DeviceSupportTests
{
    [Fact]
    public void Wall_clock_converts_datetime_ticks_to_unix_milliseconds()
    {
        var instant = new DateTime(2026, 11, 26, 1, 58, 0, 123, DateTimeKind.Utc);
        Assert.Equal(new DateTimeOffset(instant).ToUnixTimeMilliseconds(), WallClock.UtcMsFromTicks(instant.Ticks));
        Assert.Equal(0, WallClock.UtcMsFromTicks(DateTime.UnixEpoch.Ticks));
    }

    [Fact]
    public void Boot_time_is_not_synchronised_a_real_date_is()
    {
        Assert.False(WallClock.IsPlausible(WallClock.UtcMsFromTicks(DateTime.UnixEpoch.AddMinutes(3).Ticks)));
        Assert.False(WallClock.IsPlausible(WallClock.PlausibleFloorUtcMs - 1));
        Assert.True(WallClock.IsPlausible(WallClock.UtcMsFromTicks(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks)));
        Assert.Equal(WallClock.PlausibleFloorUtcMs, new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds());
    }

    [Theory]
    [InlineData(false, false, TempFileAction.None)]
    [InlineData(true, false, TempFileAction.None)]
    [InlineData(true, true, TempFileAction.DeleteTemp)]
    [InlineData(false, true, TempFileAction.PromoteTemp)]
    public void Interrupted_replace_resolves_to_old_or_new(bool fileExists, bool tempExists, TempFileAction action)
    {
        Assert.Equal(action, TempFileRecovery.Decide(fileExists, tempExists));
    }

    [Fact]
    public void Replace_sequence_survives_a_power_cut_after_every_step()
    {
        // The steps FlashStorage.WriteAtomic takes, on a simulated file system that cannot rename over
        // a file; after a cut at each step, recovery must leave the old or the new content.
        var steps = new Action<Dictionary<string, string>>[]
        {
            fs => fs["f.tmp"] = "new-torn",
            fs => fs["f.tmp"] = "new",
            fs => fs.Remove("f"),
            fs => { fs["f"] = fs["f.tmp"]; fs.Remove("f.tmp"); },
        };

        for (int cut = 0; cut <= steps.Length; cut++)
        {
            var fs = new Dictionary<string, string> { ["f"] = "old" };
            for (int i = 0; i < cut; i++)
            {
                steps[i](fs);
            }

            switch (TempFileRecovery.Decide(fs.ContainsKey("f"), fs.ContainsKey("f.tmp")))
            {
                case TempFileAction.DeleteTemp:
                    fs.Remove("f.tmp");
                    break;
                case TempFileAction.PromoteTemp:
                    fs["f"] = fs["f.tmp"];
                    fs.Remove("f.tmp");
                    break;
            }

            Assert.Contains(fs["f"], new[] { "old", "new" });
            Assert.False(fs.ContainsKey("f.tmp"));
        }
    }
}
