using System.Collections.Concurrent;
using ChargerFirmware.Drivers.Panel;

namespace ChargerFirmware.VirtualHardware.Panel;

/// <summary>
/// The reference board's 480 x 320 touch panel in memory: frames are drawn through the same
/// <see cref="FramePainter"/> and <see cref="TextRasterizer"/> as on the device into an RGB565
/// framebuffer, and touches at pixel coordinates go through the same grid and tap tracker. Each
/// frame that changed pixels raises <see cref="Shown"/> (to write a picture) and updates the text
/// copy read by terminals. <see cref="Touch"/> is safe from any thread; the rest belongs to the
/// thread that polls the panel.
/// </summary>
public sealed class VirtualTextPanel : ITextPanel, IPixelWindow
{
    /// <summary>The reference panel's width in pixels.</summary>
    public const int WidthPx = 480;

    /// <summary>The reference panel's height in pixels.</summary>
    public const int HeightPx = 320;

    private readonly TextGrid _grid;
    private readonly FramePainter _painter;
    private readonly TouchButtonTracker _tracker = new(releasePolls: 1);
    private readonly ConcurrentQueue<(int X, int Y)> _touches = new();
    private readonly byte[] _pixels = new byte[WidthPx * HeightPx * 2];
    private readonly object _gate = new();
    private readonly string[] _lines;
    private bool _pressing;
    private int _x0;
    private int _y0;
    private int _x1;
    private int _y;
    private int _x;
    private int _version;
    private int _touchesDone;

    /// <summary>A cleared panel with the reference board's grid (12 x 24 cells: 40 x 13) and the charger's palette.</summary>
    public VirtualTextPanel()
    {
        _grid = new TextGrid(WidthPx, HeightPx, 2, 3);
        _painter = new FramePainter(_grid, new TextRasterizer(_grid, PanelPalette.Charger()));
        _lines = Enumerable.Repeat(string.Empty, _grid.Rows).ToArray();
        _painter.Clear(this);
    }

    /// <summary>Raised after a frame that changed pixels (on the polling thread).</summary>
    public event Action<VirtualTextPanel>? Shown;

    /// <inheritdoc/>
    public int Columns => _grid.Columns;

    /// <inheritdoc/>
    public int Rows => _grid.Rows;

    /// <summary>The grid (cell size and margins) touches are mapped through.</summary>
    public TextGrid Grid => _grid;

    /// <summary>Counts the frames that changed pixels.</summary>
    public int Version
    {
        get
        {
            lock (_gate)
            {
                return _version;
            }
        }
    }

    /// <summary>Counts the touches whose release has been read (a frame after it shows what the touch did).</summary>
    public int TouchesDone => Volatile.Read(ref _touchesDone);

    /// <summary>The screen as RGB565 pixels, high byte first, row by row (the polling thread's view).</summary>
    public byte[] Pixels => _pixels;

    /// <summary>A touch at pixel (<paramref name="x"/>, <paramref name="y"/>): pressed at the next poll, released at the one after (any thread).</summary>
    public void Touch(int x, int y) => _touches.Enqueue((x, y));

    /// <summary>Copies the screen's text rows (trailing blanks removed) into <paramref name="into"/>; returns the version (any thread).</summary>
    public int CopyLines(string[] into)
    {
        lock (_gate)
        {
            for (int i = 0; i < into.Length && i < _lines.Length; i++)
            {
                into[i] = _lines[i];
            }

            return _version;
        }
    }

    /// <inheritdoc/>
    public void Show(PanelFrame frame)
    {
        if (_painter.Paint(frame, this) == 0)
        {
            return;
        }

        lock (_gate)
        {
            for (int row = 0; row < _lines.Length; row++)
            {
                _lines[row] = row < frame.Rows ? (frame.IsUnderLarge(row) ? string.Empty : frame.RowText(row)) : string.Empty;
            }

            _version++;
        }

        Shown?.Invoke(this);
    }

    /// <inheritdoc/>
    public int ReadButton(ICellButtons buttons)
    {
        if (_pressing)
        {
            _pressing = false;
            Interlocked.Increment(ref _touchesDone);
            return _tracker.Update(false, TouchButtonTracker.NoButton);
        }

        if (!_touches.TryDequeue(out (int X, int Y) touch))
        {
            return TouchButtonTracker.NoButton;
        }

        _pressing = true;
        int button = _grid.TryCellAt(touch.X, touch.Y, out int row, out int column) ? buttons.ButtonAt(row, column) : TouchButtonTracker.NoButton;
        _tracker.Update(true, button);
        return TouchButtonTracker.NoButton;
    }

    /// <inheritdoc/>
    public void OpenWindow(int x0, int y0, int x1, int y1)
    {
        _x0 = x0;
        _y0 = y0;
        _x1 = x1;
        _x = x0;
        _y = y0;
    }

    /// <inheritdoc/>
    public void WritePixels(byte[] pixels, int count)
    {
        for (int i = 0; i + 1 < count; i += 2)
        {
            int at = ((_y * WidthPx) + _x) * 2;
            if (at + 1 < _pixels.Length)
            {
                _pixels[at] = pixels[i];
                _pixels[at + 1] = pixels[i + 1];
            }

            if (++_x > _x1)
            {
                _x = _x0;
                _y++;
            }
        }
    }
}
