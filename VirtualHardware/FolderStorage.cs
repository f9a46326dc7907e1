using ChargerFirmware.Drivers.Storage;

namespace ChargerFirmware.VirtualHardware;

/// <summary>
/// <see cref="IStorage"/> over a real folder (the simulator's flash, and a check that the journal
/// works on a file system). Appends and truncations are flushed to the disk before returning;
/// atomic replacement writes "&lt;name&gt;.tmp", flushes it and renames it over the file.
/// </summary>
public sealed class FolderStorage : IStorage
{
    private const string TempSuffix = ".tmp";

    private readonly string _folder;

    /// <summary>Storage in <paramref name="folder"/>, created when missing.</summary>
    public FolderStorage(string folder)
    {
        _folder = folder;
        Directory.CreateDirectory(folder);
    }

    /// <inheritdoc />
    public bool Exists(string name)
    {
        return File.Exists(PathOf(name));
    }

    /// <inheritdoc />
    public int Length(string name)
    {
        var info = new FileInfo(PathOf(name));
        return info.Exists ? checked((int)info.Length) : 0;
    }

    /// <inheritdoc />
    public int Read(string name, int position, byte[] buffer, int offset, int count)
    {
        string path = PathOf(name);
        if (!File.Exists(path))
        {
            return 0;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (position >= stream.Length)
        {
            return 0;
        }

        stream.Position = position;
        int total = 0;
        int n;
        while (total < count && (n = stream.Read(buffer, offset + total, count - total)) > 0)
        {
            total += n;
        }

        return total;
    }

    /// <inheritdoc />
    public void Append(string name, byte[] buffer, int offset, int count)
    {
        using var stream = new FileStream(PathOf(name), FileMode.Append, FileAccess.Write, FileShare.Read);
        stream.Write(buffer, offset, count);
        stream.Flush(true);
    }

    /// <inheritdoc />
    public void WriteAtomic(string name, byte[] buffer, int offset, int count)
    {
        string path = PathOf(name);
        string temp = path + TempSuffix;
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(buffer, offset, count);
            stream.Flush(true);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <inheritdoc />
    public void Truncate(string name, int length)
    {
        string path = PathOf(name);
        if (!File.Exists(path))
        {
            return;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read);
        if (length < stream.Length)
        {
            stream.SetLength(length);
            stream.Flush(true);
        }
    }

    /// <inheritdoc />
    public void Delete(string name)
    {
        File.Delete(PathOf(name));
    }

    private string PathOf(string name)
    {
        if (name.Length == 0 || Path.GetFileName(name) != name || name.EndsWith(TempSuffix, StringComparison.Ordinal))
        {
            throw new ArgumentException("flat file name expected", nameof(name));
        }

        return Path.Combine(_folder, name);
    }
}
