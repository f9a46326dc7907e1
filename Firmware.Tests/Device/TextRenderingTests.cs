using ChargerFirmware.Drivers.Panel;
using Xunit;

namespace ChargerFirmware.Tests.Device;

public class TextRenderingTests
{
    private static readonly int White = TextRasterizer.Rgb565(255, 255, 255);
    private static readonly int Black = TextRasterizer.Rgb565(0, 0, 0);

    private static string Glyph(char c) => string.Join("\n", Enumerable.Range(0, Font5x7.GlyphRows).Select(
        y => new string(Enumerable.Range(0, Font5x7.GlyphColumns).Select(x => (Font5x7.Column(c, x) >> y & 1) == 1 ? '#' : '.').ToArray())));

    // White on black; buttons (Primary) black on white, so a button reads as inverted.
    private static PanelPalette Palette()
    {
        var palette = new PanelPalette(White, Black);
        palette.Set(PanelStyles.Primary, Black, White);
        return palette;
    }

    // Renders a row of text (with a button box over the given cells) as text art, one line per scanline ('#' = white).
    private static string[] Render(TextGrid grid, string text, int row, params (int Row, int Column)[] buttonCells)
    {
        var frame = new PanelFrame(grid.Rows, grid.Columns);
        frame.Put(row, 0, text);
        foreach ((int r, int c) in buttonCells)
        {
            frame.AddBox(r, c, 1, 1, PanelStyles.Primary, 5);
        }

        return Render(grid, frame, row);
    }

    private static string[] Render(TextGrid grid, PanelFrame frame, int row)
    {
        var rasterizer = new TextRasterizer(grid, Palette());
        rasterizer.PrepareRow(frame, row);
        byte[] buffer = new byte[rasterizer.ScanlineBytes];
        var lines = new string[rasterizer.PreparedHeightPx];
        for (int s = 0; s < lines.Length; s++)
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
        string[] lines = Render(grid, "A1", 0);

        Assert.Equal(".###....#.........", lines[0]);
        Assert.Equal("#####...#.........", lines[3]);
        Assert.Equal("#...#..###........", lines[6]);
        Assert.Equal("..................", lines[7]);
    }

    [Fact]
    public void Horizontal_and_vertical_scales_stretch_each_pixel()
    {
        var grid = new TextGrid(12, 24, 2, 3);
        string[] lines = Render(grid, "A", 0);

        Assert.Equal(24, lines.Length);
        Assert.All(lines[0..3], l => Assert.Equal("..######....", l));
        Assert.Equal("##......##..", lines[3]);
        Assert.All(lines[21..24], l => Assert.Equal("............", l));
    }

    [Fact]
    public void Scale_magnifies_each_pixel()
    {
        var grid = new TextGrid(12, 16, 2, 2);
        string[] lines = Render(grid, "A", 0);

        Assert.Equal("..######....", lines[0]);
        Assert.Equal("..######....", lines[1]);
        Assert.Equal("##......##..", lines[2]);
        Assert.Equal("............", lines[15]);
    }

    [Fact]
    public void Long_text_is_cut_and_short_text_padded()
    {
        var grid = new TextGrid(12, 8, 1, 1); // 2 cells
        Assert.Equal(Render(grid, "AB", 0), Render(grid, "ABCDEF", 0));
        Assert.Equal("......", Render(grid, "A", 0)[0][6..]);
    }

    [Fact]
    public void Button_cells_take_the_buttons_colours_with_a_margin_at_the_right_and_bottom()
    {
        var grid = new TextGrid(18, 16, 1, 1); // 3 cells x 2 rows
        var frame = new PanelFrame(2, 3);
        frame.Put(0, 0, " A ");
        frame.Put(1, 0, " A ");
        frame.AddBox(1, 1, 1, 2, PanelStyles.Primary, 5);

        string[] plain = Render(grid, frame, 0);
        string[] button = Render(grid, frame, 1);

        Assert.Equal(".......###........", plain[0]);
        Assert.Equal("......#...#######.", button[0]);
        Assert.Equal("..................", button[7]);
        Assert.Equal(".......###.######.", button[6]);
    }

    [Fact]
    public void A_large_row_draws_its_text_twice_as_big_over_two_rows()
    {
        var grid = new TextGrid(24, 16, 1, 1); // 4 cells x 2 rows
        var frame = new PanelFrame(2, 4);
        frame.SetLarge(0);
        frame.Put(0, 0, "A");
        frame.Put(1, 0, "zzzz");

        string[] lines = Render(grid, frame, 0);

        Assert.Equal(16, lines.Length);
        Assert.Equal("..######................", lines[0]);
        Assert.Equal(lines[0], lines[1]);
        Assert.Equal("##......##..............", lines[2]);
        Assert.True(frame.IsUnderLarge(1));
    }

    [Fact]
    public void Pixels_are_rgb565_high_byte_first()
    {
        var grid = new TextGrid(6, 8, 1, 1);
        int red = TextRasterizer.Rgb565(255, 0, 0);
        int blue = TextRasterizer.Rgb565(0, 0, 255);
        var rasterizer = new TextRasterizer(grid, new PanelPalette(red, blue));
        var frame = new PanelFrame(1, 1);
        frame.Put(0, 0, "|");
        rasterizer.PrepareRow(frame, 0);
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
        var rasterizer = new TextRasterizer(grid, new PanelPalette(White, TextRasterizer.Rgb565(0, 255, 0)));
        byte[] line = new byte[6];
        rasterizer.FillBackground(line);

        Assert.Equal(new byte[] { 0x07, 0xE0, 0x07, 0xE0, 0x07, 0xE0 }, line);
        Assert.Throws<ArgumentOutOfRangeException>(() => rasterizer.RenderScanline(8, new byte[12]));
        Assert.Throws<ArgumentOutOfRangeException>(() => rasterizer.RenderScanline(0, new byte[11]));
    }
}
