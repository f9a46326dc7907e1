using ChargerFirmware.Drivers.Panel;
using Xunit;

namespace ChargerFirmware.Tests.Device;

public class PanelLayoutTests
{
    // The reference panel: 480 x 320 landscape, glyphs doubled across and tripled down (12 x 24 cells).
    private static TextGrid Reference() => new(ReferenceBoardSource.Int("DisplayWidthPx"), ReferenceBoardSource.Int("DisplayHeightPx"),
        ReferenceBoardSource.Int("PanelFontScaleX"), ReferenceBoardSource.Int("PanelFontScaleY"));

    [Fact]
    public void Reference_panel_holds_the_consent_screen()
    {
        var grid = Reference();

        Assert.Equal(40, grid.Columns);
        Assert.Equal(13, grid.Rows);
        Assert.True(grid.Columns >= ChargerFirmware.Panel.ConsentScreen.Width);
        Assert.True(grid.Rows >= ChargerFirmware.Panel.ConsentScreen.Height);
        Assert.Equal(12, grid.CellWidthPx);
        Assert.Equal(24, grid.CellHeightPx);
        Assert.Equal(0, grid.LeftPx);
        Assert.Equal(480, grid.TextWidthPx);
        Assert.Equal(4, grid.RowTopPx(0)); // (320 - 13 x 24) / 2
        Assert.Equal(292, grid.RowTopPx(12));
    }

    [Fact]
    public void Small_ili9341_at_scale_two_holds_26_columns_and_15_rows()
    {
        var grid = new TextGrid(320, 240, 2, 2);

        Assert.Equal((26, 15), (grid.Columns, grid.Rows));
        Assert.Equal(4, grid.LeftPx); // (320 - 26 x 12) / 2
        Assert.Equal(0, grid.RowTopPx(0));
    }

    [Theory]
    [InlineData(4, 0, 0, 0)]
    [InlineData(15, 15, 0, 0)]
    [InlineData(16, 16, 1, 1)]
    [InlineData(315, 239, 14, 25)]
    public void Pixels_map_to_the_cell_under_them(int x, int y, int row, int column)
    {
        var grid = new TextGrid(320, 240, 2, 2);

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
        Assert.False(new TextGrid(320, 240, 2, 2).TryCellAt(x, y, out _, out _));
    }

    [Fact]
    public void Top_margin_of_the_reference_panel_is_no_cell()
    {
        Assert.False(Reference().TryCellAt(100, 3, out _, out _));
        Assert.True(Reference().TryCellAt(100, 4, out int row, out _));
        Assert.Equal(0, row);
    }

    [Fact]
    public void Grid_refuses_a_zero_scale_or_a_screen_smaller_than_one_cell()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TextGrid(320, 240, 0, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TextGrid(320, 240, 2, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TextGrid(11, 240, 2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TextGrid(320, 23, 2, 3));
    }

    [Fact]
    public void Row_cache_draws_each_row_once_per_change()
    {
        var cache = new RowCache(3);
        Assert.True(cache.NeedsDraw(0, "Charge?"));
        Assert.True(cache.NeedsDraw(1, string.Empty));

        Assert.False(cache.NeedsDraw(0, "Charge?"));
        Assert.False(cache.NeedsDraw(1, string.Empty));
        Assert.True(cache.NeedsDraw(1, "[Allow]"));
        Assert.False(cache.NeedsDraw(1, "[Allow]"));
        Assert.True(cache.NeedsDraw(2, string.Empty));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RowCache(0));
    }
}
