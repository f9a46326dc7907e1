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
        Assert.Equal(ChargerFirmware.Panel.DriverPanel.Columns, grid.Columns);
        Assert.Equal(ChargerFirmware.Panel.DriverPanel.Rows, grid.Rows);
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
    public void Row_cache_draws_each_row_once_per_change_of_text_or_boxes()
    {
        var cache = new RowCache(3, 8);
        var frame = new PanelFrame(3, 8);
        frame.Put(0, 0, "Charge?");
        Assert.True(cache.NeedsDraw(frame, 0));
        Assert.True(cache.NeedsDraw(frame, 1));

        Assert.False(cache.NeedsDraw(frame, 0));
        Assert.False(cache.NeedsDraw(frame, 1));
        frame.Put(1, 0, "Allow");
        Assert.True(cache.NeedsDraw(frame, 1));
        Assert.False(cache.NeedsDraw(frame, 1));

        // Same text, a button now under it: drawn again.
        frame.AddBox(1, 0, 1, 5, PanelStyles.Primary, 7);
        Assert.True(cache.NeedsDraw(frame, 1));
        Assert.False(cache.NeedsDraw(frame, 1));
        Assert.True(cache.NeedsDraw(frame, 2));
        cache.Invalidate();
        Assert.True(cache.NeedsDraw(frame, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RowCache(0, 8));
    }

    [Fact]
    public void Buttons_of_the_reference_panel_are_big_enough_for_a_gloved_finger()
    {
        // 3.5" at 480 x 320: 73.4 x 49.0 mm, so 6.5 pixels per mm; a button of 3 rows is 72 px.
        var grid = Reference();
        double pxPerMm = 480 / 73.44;
        Assert.True(3 * grid.CellHeightPx / pxPerMm >= 10.5);
        Assert.True(5 * grid.CellWidthPx / pxPerMm >= 9);
    }
}
