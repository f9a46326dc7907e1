using ChargerFirmware.Drivers.Panel;
using Xunit;

namespace ChargerFirmware.Tests.Device;

public class PanelLayoutTests
{
    [Fact]
    public void Landscape_ili9341_at_scale_two_holds_26_columns_and_15_rows()
    {
        var grid = new TextGrid(320, 240, 2);

        Assert.Equal(26, grid.Columns);
        Assert.Equal(15, grid.Rows);
        Assert.Equal(12, grid.CellWidthPx);
        Assert.Equal(16, grid.CellHeightPx);
        Assert.Equal(4, grid.LeftPx); // (320 - 26 x 12) / 2
        Assert.Equal(312, grid.TextWidthPx);
        Assert.Equal(0, grid.RowTopPx(0));
        Assert.Equal(224, grid.RowTopPx(14));
    }

    [Theory]
    [InlineData(4, 0, 0, 0)]
    [InlineData(15, 15, 0, 0)]
    [InlineData(16, 16, 1, 1)]
    [InlineData(315, 239, 14, 25)]
    public void Pixels_map_to_the_cell_under_them(int x, int y, int row, int column)
    {
        var grid = new TextGrid(320, 240, 2);

        Assert.True(grid.TryCellAt(x, y, out int r, out int c));
        Assert.Equal((row, column), (r, c));
    }

    [Theory]
    [InlineData(3, 10)] // left margin
    [InlineData(316, 10)] // right margin
    [InlineData(-1, 0)]
    [InlineData(10, 240)]
    public void Margins_and_off_screen_pixels_are_no_cell(int x, int y)
    {
        Assert.False(new TextGrid(320, 240, 2).TryCellAt(x, y, out _, out _));
    }

    [Fact]
    public void Grid_refuses_a_screen_smaller_than_one_cell()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TextGrid(320, 240, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TextGrid(11, 240, 2));
    }

    [Fact]
    public void Buttons_cover_their_cells_and_nothing_else()
    {
        var layout = new ButtonLayout(4);
        layout.Add(id: 7, firstRow: 12, rowCount: 2, firstColumn: 1, columnCount: 10);
        layout.Add(id: 9, firstRow: 12, rowCount: 2, firstColumn: 14, columnCount: 10);

        Assert.Equal(7, layout.HitTest(12, 1));
        Assert.Equal(7, layout.HitTest(13, 10));
        Assert.Equal(9, layout.HitTest(12, 23));
        Assert.Equal(ButtonLayout.NoButton, layout.HitTest(12, 12));
        Assert.Equal(ButtonLayout.NoButton, layout.HitTest(14, 5));
        Assert.Equal(ButtonLayout.NoButton, layout.HitTest(11, 5));
        Assert.Equal(2, layout.Count);
    }

    [Fact]
    public void Overlapping_buttons_resolve_to_the_first_added()
    {
        var layout = new ButtonLayout(2);
        layout.Add(1, 0, 3, 0, 5);
        layout.Add(2, 1, 1, 0, 26);

        Assert.Equal(1, layout.HitTest(1, 4));
        Assert.Equal(2, layout.HitTest(1, 5));
    }

    [Fact]
    public void Every_change_moves_the_version_and_clear_removes_all()
    {
        var layout = new ButtonLayout(2);
        int v0 = layout.Version;
        layout.Add(1, 0, 1, 0, 1);
        int v1 = layout.Version;
        layout.Clear();

        Assert.NotEqual(v0, v1);
        Assert.NotEqual(v1, layout.Version);
        Assert.Equal(0, layout.Count);
        Assert.Equal(ButtonLayout.NoButton, layout.HitTest(0, 0));
    }

    [Fact]
    public void Layout_refuses_bad_buttons_and_overflow()
    {
        var layout = new ButtonLayout(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => layout.Add(ButtonLayout.NoButton, 0, 1, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => layout.Add(1, 0, 0, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => layout.Add(1, -1, 1, 0, 1));
        layout.Add(1, 0, 1, 0, 1);
        Assert.Throws<InvalidOperationException>(() => layout.Add(2, 1, 1, 0, 1));
    }

    [Fact]
    public void Row_cache_draws_changed_rows_only_and_everything_after_a_layout_change()
    {
        var cache = new RowCache(3);
        cache.BeginFrame(0);
        Assert.True(cache.NeedsDraw(0, "Charge?"));
        Assert.True(cache.NeedsDraw(1, string.Empty));

        cache.BeginFrame(0);
        Assert.False(cache.NeedsDraw(0, "Charge?"));
        Assert.True(cache.NeedsDraw(1, "[Yes]"));
        Assert.False(cache.NeedsDraw(1, "[Yes]"));

        cache.BeginFrame(5);
        Assert.True(cache.NeedsDraw(0, "Charge?"));
        Assert.True(cache.NeedsDraw(1, "[Yes]"));
    }
}
