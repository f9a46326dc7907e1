using ChargerFirmware.Persistence;
using ChargerFirmware.VirtualHardware;
using Xunit;

namespace ChargerFirmware.Tests.Persistence;

public class CheckedFileTests
{
    private static readonly byte[] Payload = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 200, 0, 255];

    private static (MemoryStorage Storage, CheckedFile File) Written(int version = 3)
    {
        var storage = new MemoryStorage();
        var file = new CheckedFile(storage, "settings");
        file.Write(version, Payload, Payload.Length);
        return (storage, file);
    }

    [Fact]
    public void A_written_payload_reads_back_valid()
    {
        var (_, file) = Written();
        Assert.Equal(Payload, file.Read(3));
        Assert.Equal(CheckedFileStatus.Valid, file.LastStatus);
    }

    [Fact]
    public void Only_the_given_count_is_written()
    {
        var storage = new MemoryStorage();
        var file = new CheckedFile(storage, "settings");
        file.Write(1, Payload, 4);
        Assert.Equal(Payload.Take(4).ToArray(), file.Read(1));
        Assert.Equal(CheckedFile.HeaderLength + 4, storage.Length("settings"));
    }

    [Fact]
    public void An_empty_payload_is_valid()
    {
        var storage = new MemoryStorage();
        var file = new CheckedFile(storage, "settings");
        file.Write(1, [], 0);
        Assert.Empty(file.Read(1)!);
        Assert.Equal(CheckedFileStatus.Valid, file.LastStatus);
    }

    [Fact]
    public void A_missing_file_reads_as_missing()
    {
        var file = new CheckedFile(new MemoryStorage(), "settings");
        Assert.Equal(CheckedFileStatus.NotRead, file.LastStatus);
        Assert.Null(file.Read(1));
        Assert.Equal(CheckedFileStatus.Missing, file.LastStatus);
    }

    [Fact]
    public void Another_version_reads_as_wrong_version()
    {
        var (_, file) = Written(version: 3);
        Assert.Null(file.Read(4));
        Assert.Equal(CheckedFileStatus.WrongVersion, file.LastStatus);
    }

    [Fact]
    public void Every_flipped_bit_anywhere_reads_as_corrupt()
    {
        var (storage, file) = Written();
        byte[] good = storage.GetBytes("settings");
        for (int bit = 0; bit < good.Length * 8; bit++)
        {
            storage.SetBytes("settings", good);
            storage.FlipBit("settings", bit);
            Assert.Null(file.Read(3));
            Assert.True(file.LastStatus == CheckedFileStatus.Corrupt, $"bit {bit}: {file.LastStatus}");
        }
    }

    [Fact]
    public void Every_byte_overwritten_reads_as_corrupt()
    {
        var (storage, file) = Written();
        byte[] good = storage.GetBytes("settings");
        for (int at = 0; at < good.Length; at++)
        {
            foreach (byte value in new byte[] { 0x00, 0xFF, (byte)(good[at] ^ 0x5A) })
            {
                if (value == good[at])
                {
                    continue;
                }

                byte[] bad = (byte[])good.Clone();
                bad[at] = value;
                storage.SetBytes("settings", bad);
                Assert.Null(file.Read(3));
                Assert.Equal(CheckedFileStatus.Corrupt, file.LastStatus);
            }
        }
    }

    [Fact]
    public void Every_truncation_and_an_extra_byte_read_as_corrupt()
    {
        var (storage, file) = Written();
        byte[] good = storage.GetBytes("settings");
        for (int length = 0; length < good.Length; length++)
        {
            storage.SetBytes("settings", good.Take(length).ToArray());
            Assert.Null(file.Read(3));
            Assert.Equal(CheckedFileStatus.Corrupt, file.LastStatus);
        }

        storage.SetBytes("settings", [.. good, 0]);
        Assert.Null(file.Read(3));
        Assert.Equal(CheckedFileStatus.Corrupt, file.LastStatus);
    }

    [Fact]
    public void A_write_interrupted_at_any_unit_leaves_the_old_or_the_new_file()
    {
        var (storage, file) = Written();
        byte[] next = [9, 8, 7];
        var before = storage.Snapshot();
        long units = storage.UnitsWritten;
        file.Write(3, next, next.Length);
        long cost = storage.UnitsWritten - units;
        Assert.True(cost > next.Length);
        for (long budget = 0; budget <= cost; budget++)
        {
            storage.Restore(before);
            storage.WriteBudget = budget;
            bool cut = false;
            try
            {
                file.Write(3, next, next.Length);
            }
            catch (PowerCutException)
            {
                cut = true;
            }

            storage.PowerOn();
            Assert.Equal(budget < cost, cut);
            Assert.Equal(cut ? Payload : next, file.Read(3));
        }
    }
}
