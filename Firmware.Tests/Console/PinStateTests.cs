using ChargerFirmware.Drivers.Storage;
using ChargerFirmware.Persistence;
using ChargerFirmware.TechConsole;
using ChargerFirmware.Tests.Consent;
using ChargerFirmware.VirtualHardware;
using Xunit;

namespace ChargerFirmware.Tests.TechConsole;

/// <summary>
/// Damaged PIN state never opens the console: any flipped bit, a truncation or a deleted PIN file
/// locks every change until the service procedure; the wrong-PIN count and the lockout survive a
/// restart; a lost lockout file locks the login.
/// </summary>
public class PinStateTests
{
    private const string Pin = "246810";
    private const string LockFile = TechnicianAuth.DefaultFileName + TechnicianAuth.LockSuffix;

    private static TechnicianAuth Boot(IStorage storage, ManualClock clock, VirtualServiceButton? button = null)
    {
        var auth = new TechnicianAuth(storage, TechnicianAuth.DefaultFileName, new CryptoEntropy(), clock, new StorageHealth(), button);
        auth.Load();
        return auth;
    }

    private static MemoryStorage Commissioned(ManualClock clock)
    {
        var storage = new MemoryStorage();
        Assert.Equal(AuthResults.Ok, Boot(storage, clock).SetPin(Pin));
        return storage;
    }

    [Fact]
    public void Every_flipped_bit_and_every_truncation_of_the_pin_file_locks_changes_and_never_opens_them()
    {
        var clock = new ManualClock();
        var storage = Commissioned(clock);
        byte[] good = storage.GetBytes(TechnicianAuth.DefaultFileName);
        var damaged = new List<byte[]>();
        for (int bit = 0; bit < good.Length * 8; bit++)
        {
            byte[] bytes = (byte[])good.Clone();
            bytes[bit / 8] ^= (byte)(1 << (bit % 8));
            damaged.Add(bytes);
        }

        for (int length = 0; length < good.Length; length++)
        {
            damaged.Add(good[..length]);
        }

        foreach (byte[] bytes in damaged)
        {
            storage.SetBytes(TechnicianAuth.DefaultFileName, bytes);
            var button = new VirtualServiceButton();
            var auth = Boot(storage, clock, button);
            Assert.Equal(PinLoadResults.Damaged, auth.LoadResult);
            Assert.True(auth.ChangesLocked);
            Assert.False(auth.Commissioning);
            Assert.Equal(AuthResults.ServiceRequired, auth.SetPin("13572468"));
            Assert.Equal(AuthResults.ServiceRequired, auth.Login(Pin));
            Assert.False(auth.LoggedIn);
            Assert.Equal(1, button.Reads);
        }

        // A deleted PIN file is damage too: the lockout file says a PIN was set.
        storage.Delete(TechnicianAuth.DefaultFileName);
        Assert.True(Boot(storage, clock).ChangesLocked);
    }

    [Fact]
    public void The_service_procedure_allows_a_new_pin_and_only_with_damaged_state()
    {
        var clock = new ManualClock();
        var storage = Commissioned(clock);
        storage.FlipBit(TechnicianAuth.DefaultFileName, 200);
        var button = new VirtualServiceButton { Held = true };
        var auth = Boot(storage, clock, button);
        Assert.True(auth.ServiceMode);
        Assert.True(auth.Commissioning);
        Assert.Equal(AuthResults.Ok, auth.SetPin("13572468"));
        Assert.True(auth.LoggedIn);

        // After it, the new PIN is in force; the button held at an ordinary start changes nothing (nor is it read).
        var next = Boot(storage, clock, button);
        Assert.Equal(PinLoadResults.Valid, next.LoadResult);
        Assert.False(next.ServiceMode);
        Assert.Equal(AuthResults.NotAllowed, next.SetPin("11112222"));
        Assert.Equal(1, button.Reads);
        Assert.Equal(AuthResults.Ok, next.Login("13572468"));
    }

    [Fact]
    public void The_lockout_and_the_wrong_pin_count_survive_a_restart()
    {
        var clock = new ManualClock();
        var storage = Commissioned(clock);
        var auth = Boot(storage, clock);
        for (int i = 0; i < TechnicianAuth.MaxFailures - 1; i++)
        {
            Assert.Equal(AuthResults.WrongPin, auth.Login("00000000"));
        }

        // A restart does not reset the count: one more wrong PIN locks.
        var restarted = Boot(storage, new ManualClock());
        Assert.Equal(TechnicianAuth.MaxFailures - 1, restarted.Failures);
        Assert.Equal(AuthResults.Locked, restarted.Login("00000000"));

        // Nor does it lift the lockout: the full time again from the start, the right PIN refused meanwhile.
        var rebooted = Boot(storage, new ManualClock());
        Assert.Equal(TechnicianAuth.LockoutMs, rebooted.LockRemainingMs());
        Assert.Equal(AuthResults.Locked, rebooted.Login(Pin));
    }

    [Theory]
    [InlineData("deleted")]
    [InlineData("flipped")]
    [InlineData("truncated")]
    public void A_damaged_or_missing_lockout_file_locks_the_login(string damage)
    {
        var clock = new ManualClock();
        var storage = Commissioned(clock);
        switch (damage)
        {
            case "deleted":
                storage.Delete(LockFile);
                break;
            case "flipped":
                storage.FlipBit(LockFile, 40);
                break;
            default:
                storage.SetBytes(LockFile, storage.GetBytes(LockFile)[..5]);
                break;
        }

        var auth = Boot(storage, new ManualClock());
        Assert.True(auth.PinSet);
        Assert.Equal(AuthResults.Locked, auth.Login(Pin));
        Assert.True(auth.LockRemainingMs() > 0);
    }

    [Fact]
    public void A_fresh_charger_commissions_and_a_failing_flash_keeps_the_old_pin()
    {
        var clock = new ManualClock();
        var flash = new FaultyStorage(new MemoryStorage());
        var auth = Boot(flash, clock);
        Assert.Equal(PinLoadResults.Missing, auth.LoadResult);
        Assert.True(auth.Commissioning);
        flash.WritesFail = true;
        Assert.Equal(AuthResults.StorageFailed, auth.SetPin(Pin));
        Assert.False(auth.PinSet);
        flash.WritesFail = false;
        Assert.Equal(AuthResults.Ok, auth.SetPin(Pin));
    }
}
