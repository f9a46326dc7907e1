using ChargerFirmware.Drivers.Serial;

namespace ChargerFirmware.VirtualHardware;

/// <summary>
/// The technician's console byte stream over a pair of .NET streams: stdin/stdout, a socket's
/// NetworkStream, a pseudo-terminal's master, or pipes in tests. A read that times out leaves its
/// pending read running for the next call, so no byte is ever lost. Counts the bytes both ways so a
/// test can wait until everything it sent was taken.
/// </summary>
public sealed class StreamConsole : IByteStream, IDisposable
{
    private readonly Stream _input;
    private readonly Stream _output;
    private readonly byte[] _chunk = new byte[256];
    private Task<int>? _pending;
    private int _chunkOffset;
    private int _chunkCount;
    private long _bytesRead;
    private long _bytesWritten;

    /// <summary>A console stream reading <paramref name="input"/> and writing <paramref name="output"/>.</summary>
    public StreamConsole(Stream input, Stream output)
    {
        _input = input ?? throw new ArgumentNullException(nameof(input));
        _output = output ?? throw new ArgumentNullException(nameof(output));
    }

    /// <summary>Bytes handed to the console so far.</summary>
    public long BytesRead => Interlocked.Read(ref _bytesRead);

    /// <summary>Bytes the console wrote so far.</summary>
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    /// <inheritdoc />
    public int Read(byte[] buffer, int offset, int count, int timeoutMs)
    {
        if (_chunkCount == 0)
        {
            _pending ??= _input.ReadAsync(_chunk, 0, _chunk.Length);
            try
            {
                if (!_pending.Wait(timeoutMs))
                {
                    return 0;
                }
            }
            catch (AggregateException)
            {
                _pending = null;
                return -1;
            }

            int read = _pending.Result;
            _pending = null;
            if (read == 0)
            {
                return -1;
            }

            _chunkOffset = 0;
            _chunkCount = read;
        }

        int taken = Math.Min(count, _chunkCount);
        Array.Copy(_chunk, _chunkOffset, buffer, offset, taken);
        _chunkOffset += taken;
        _chunkCount -= taken;
        Interlocked.Add(ref _bytesRead, taken);
        return taken;
    }

    /// <inheritdoc />
    public void Write(byte[] buffer, int offset, int count)
    {
        _output.Write(buffer, offset, count);
        _output.Flush();
        Interlocked.Add(ref _bytesWritten, count);
    }

    /// <summary>Disposes both streams.</summary>
    public void Dispose()
    {
        _input.Dispose();
        _output.Dispose();
    }
}
