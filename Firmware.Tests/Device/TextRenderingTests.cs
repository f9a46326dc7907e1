using ChargerFirmware.Drivers.Panel;
using Xunit;

namespace ChargerFirmware.Tests.Device;

public class TextRenderingTests
{
    private static readonly int White = TextRasterizer.Rgb565(255, 255, 255);
    private static readonly int Black = TextRasterizer.Rgb565(0, 0, 0);

    private static string Glyph(char c) => string.Join("\n", Enumerable.Range(0, Font5x7.GlyphRows).Select(
        y => new string(Enumerable.Range(0, Font5x7.GlyphColumns).Select(x => (Font5x7.Column(c, x) >> y & 1) == 1 ? '#' : '.').ToArray())));

    private static readonly ICellButtons NoButtons = new Buttons();

    // Renders a row and returns it as text art, one line per scanline ('#' = foreground).
    private static string[] Render(TextGrid grid, ICellButtons buttons, string text, int row)
    {
        var rasterizer = new TextRasterizer(grid, White, Black);
        rasterizer.PrepareRow(text, row, buttons);
        byte[] buffer = new byte[rasterizer.ScanlineBytes];
        var lines = new string[grid.CellHeightPx];
        for (int s = 0; s < grid.CellHeightPx; s++)
        {
            rasterizer.RenderScanline(s, buffer);
            lines[s] = new string(Enumerable.Range(0, buffer.Length / 2).Select(p => buffer[2 * p] == 0xFF ? '#' : '.').ToArray());
        }

        return lines;
    }

    [Fact]
    public void Glyphs_are_the_expected_shapes()
    {
        Assert.Equal(".###.\n#...#\n#...#\n#####\n#...#\n#...#\n#...#", Glyph('A'));
        Assert.Equal("..#..\n.##..\n..#..\n..#..\n..#..\n..#..\n.###.", Glyph('1'));
        Assert.Equal(".....\n.....\n.....\n.....\n.....\n.....\n.....", Glyph(' '));
    }

    [Fact]
    public void Every_printable_character_has_its_own_visible_glyph()
    {
        var glyphs = Enumerable.Range(Font5x7.FirstChar, Font5x7.LastChar - Font5x7.FirstChar + 1).Select(c => Glyph((char)c)).ToList();

        Assert.Equal(95, glyphs.Count);
        Assert.Equal(glyphs.Count, glyphs.Distinct().Count());
        Assert.All(glyphs.Skip(1), g => Assert.Contains('#', g));
    }

    [Fact]
    public void Characters_outside_ascii_draw_as_a_question_mark()
    {
        Assert.Equal(Glyph('?'), Glyph('é'));
        Assert.Equal(Glyph('?'), Glyph('\n'));
    }

    [Fact]
    public void Row_renders_glyphs_in_cells_with_a_blank_column_and_row()
    {
        var grid = new TextGrid(18, 8, 1, 1); // 3 cells of 6 x 8
        string[] lines = Render(grid, NoButtons, "A1", 0);

        Assert.Equal(".###....#.........", lines[0]);
        Assert.Equal("#####...#.........", lines[3]);
        Assert.Equal("#...#..###........", lines[6]);
        Assert.Equal("..................", lines[7]);
    }

    [Fact]
    public void Horizontal_and_vertical_scales_stretch_each_pixel()
    {
        var grid = new TextGrid(12, 24, 2, 3);
        string[] lines = Render(grid, NoButtons, "A", 0);

        Assert.Equal(24, lines.Length);
        Assert.All(lines[0..3], l => Assert.Equal("..######....", l));
        Assert.Equal("##......##..", lines[3]);
        Assert.All(lines[21..24], l => Assert.Equal("............", l));
    }

    [Fact]
    public void Scale_magnifies_each_pixel()
    {
        var grid = new TextGrid(12, 16, 2, 2);
        string[] lines = Render(grid, NoButtons, "A", 0);

        Assert.Equal("..######....", lines[0]);
        Assert.Equal("..######....", lines[1]);
        Assert.Equal("##......##..", lines[2]);
        Assert.Equal("............", lines[15]);
    }

    [Fact]
    public void Long_text_is_cut_and_short_text_padded()
    {
        var grid = new TextGrid(12, 8, 1, 1); // 2 cells
        Assert.Equal(Render(grid, NoButtons, "AB", 0), Render(grid, NoButtons, "ABCDEF", 0));
        Assert.Equal("......", Render(grid, NoButtons, "A", 0)[0][6..]);
    }

    [Fact]
    public void Button_cells_draw_inverted_on_their_rows_only()
    {
        var grid = new TextGrid(18, 16, 1, 1); // 3 cells x 2 rows
        var buttons = new Buttons((1, 1, 5), (1, 2, 5));

        string[] plain = Render(grid, buttons, " A ", 0);
        string[] button = Render(grid, buttons, " A ", 1);

        Assert.Equal(".......###........", plain[0]);
        Assert.Equal("......#...########", button[0]);
        Assert.Equal("......############", button[7]);
    }

    [Fact]
    public void Pixels_are_rgb565_high_byte_first()
    {
        var grid = new TextGrid(6, 8, 1, 1);
        int red = TextRasterizer.Rgb565(255, 0, 0);
        int blue = TextRasterizer.Rgb565(0, 0, 255);
        var rasterizer = new TextRasterizer(grid, red, blue);
        rasterizer.PrepareRow("|", 0, NoButtons);
        byte[] buffer = new byte[rasterizer.ScanlineBytes];
        rasterizer.RenderScanline(0, buffer);

        Assert.Equal(0xF800, red);
        Assert.Equal(0x001F, blue);
        Assert.Equal(0xFFFF, White);
        Assert.Equal(new byte[] { 0x00, 0x1F, 0x00, 0x1F, 0xF8, 0x00, 0x00, 0x1F }, buffer[..8]);
    }

    [Fact]
    public void Background_fill_and_bounds()
    {
        var grid = new TextGrid(6, 8, 1, 1);
        var rasterizer = new TextRasterizer(grid, White, TextRasterizer.Rgb565(0, 255, 0));
        byte[] line = new byte[6];
        rasterizer.FillBackground(line);

        Assert.Equal(new byte[] { 0x07, 0xE0, 0x07, 0xE0, 0x07, 0xE0 }, line);
        Assert.Throws<ArgumentOutOfRangeException>(() => rasterizer.RenderScanline(8, new byte[12]));
        Assert.Throws<ArgumentOutOfRangeException>(() => rasterizer.RenderScanline(0, new byte[11]));
    }

    // A screen's buttons as a set of (row, column, id) cells.
    private sealed class Buttons(params (int Row, int Column, int Id)[] cells) : ICellButtons
    {
        public int ButtonAt(int row, int column) =>
            cells.Where(c => c.Row == row && c.Column == column).Select(c => c.Id).DefaultIfEmpty(TouchButtonTracker.NoButton).First();
    }
}
