namespace ChargerFirmware.Drivers.Panel
{
    /// <summary>
    /// The panel's colour styles (int constants): what a cell means, not how it looks. The screen
    /// model gives a style per box (<see cref="PanelFrame.AddBox(int, int, int, int, int, int)"/>); <see cref="PanelPalette"/>
    /// turns it into colours. Meaning never rests on colour alone: every button also says what it does.
    /// </summary>
    public static class PanelStyles
    {
        /// <summary>Body text: light on dark.</summary>
        public const int Normal = 0;

        /// <summary>The title bar.</summary>
        public const int Title = 1;

        /// <summary>The button that goes ahead (Allow, Done, Save): white on green.</summary>
        public const int Primary = 2;

        /// <summary>A button that refuses or stops (Deny, Stop sharing, Forget): white on red.</summary>
        public const int Danger = 3;

        /// <summary>Any other button (+, -, Change, Back): dark on light grey.</summary>
        public const int Neutral = 4;

        /// <summary>A choice that is on (a selected day, the chosen settlement): dark on amber.</summary>
        public const int Selected = 5;

        /// <summary>Secondary text: grey on dark.</summary>
        public const int Muted = 6;

        /// <summary>What will happen, framed: dark on pale yellow.</summary>
        public const int Info = 7;

        /// <summary>Good news (sharing, earned): green on dark.</summary>
        public const int Good = 8;

        /// <summary>A warning in the body: amber on dark.</summary>
        public const int Warning = 9;

        /// <summary>The title bar when something is wrong (out of service): white on red.</summary>
        public const int AlertTitle = 10;

        /// <summary>Number of styles.</summary>
        public const int Count = 11;
    }

    /// <summary>
    /// Colours of the <see cref="PanelStyles"/> in RGB565, high byte first as SPI displays take them.
    /// One object, built at start; reading it allocates nothing.
    /// </summary>
    public sealed class PanelPalette
    {
        private readonly byte[] _foreground = new byte[PanelStyles.Count * 2];
        private readonly byte[] _background = new byte[PanelStyles.Count * 2];

        /// <summary>A palette where every style is <paramref name="foreground565"/> on <paramref name="background565"/>.</summary>
        public PanelPalette(int foreground565, int background565)
        {
            for (int style = 0; style < PanelStyles.Count; style++)
            {
                Set(style, foreground565, background565);
            }
        }

        /// <summary>
        /// The charger's palette: light text on a dark blue-grey (readable in sun and at night), blue
        /// title, green go, red stop, grey other buttons, amber for what is selected.
        /// </summary>
        public static PanelPalette Charger()
        {
            int text = Rgb565(240, 240, 240);
            int dark = Rgb565(16, 24, 32);
            PanelPalette p = new PanelPalette(text, dark);
            p.Set(PanelStyles.Title, Rgb565(255, 255, 255), Rgb565(31, 78, 140));
            p.Set(PanelStyles.Primary, Rgb565(255, 255, 255), Rgb565(27, 122, 52));
            p.Set(PanelStyles.Danger, Rgb565(255, 255, 255), Rgb565(176, 32, 32));
            p.Set(PanelStyles.Neutral, dark, Rgb565(200, 206, 212));
            p.Set(PanelStyles.Selected, dark, Rgb565(242, 183, 5));
            p.Set(PanelStyles.Muted, Rgb565(150, 160, 170), dark);
            p.Set(PanelStyles.Info, dark, Rgb565(255, 236, 170));
            p.Set(PanelStyles.Good, Rgb565(110, 210, 120), dark);
            p.Set(PanelStyles.Warning, Rgb565(255, 190, 60), dark);
            p.Set(PanelStyles.AlertTitle, Rgb565(255, 255, 255), Rgb565(176, 32, 32));
            return p;
        }

        /// <summary>The RGB565 value of a colour given as 8-bit red, green and blue.</summary>
        public static int Rgb565(int red, int green, int blue)
        {
            return ((red & 0xF8) << 8) | ((green & 0xFC) << 3) | (blue >> 3);
        }

        /// <summary>Sets <paramref name="style"/>'s colours.</summary>
        public void Set(int style, int foreground565, int background565)
        {
            _foreground[style * 2] = (byte)(foreground565 >> 8);
            _foreground[(style * 2) + 1] = (byte)foreground565;
            _background[style * 2] = (byte)(background565 >> 8);
            _background[(style * 2) + 1] = (byte)background565;
        }

        /// <summary>High byte of <paramref name="style"/>'s foreground (<see cref="PanelStyles.Normal"/> for an unknown style).</summary>
        public byte ForegroundHigh(int style)
        {
            return _foreground[Index(style)];
        }

        /// <summary>Low byte of <paramref name="style"/>'s foreground.</summary>
        public byte ForegroundLow(int style)
        {
            return _foreground[Index(style) + 1];
        }

        /// <summary>High byte of <paramref name="style"/>'s background.</summary>
        public byte BackgroundHigh(int style)
        {
            return _background[Index(style)];
        }

        /// <summary>Low byte of <paramref name="style"/>'s background.</summary>
        public byte BackgroundLow(int style)
        {
            return _background[Index(style) + 1];
        }

        private static int Index(int style)
        {
            return style >= 0 && style < PanelStyles.Count ? style * 2 : 0;
        }
    }
}
