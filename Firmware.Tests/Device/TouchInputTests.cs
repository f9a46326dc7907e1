using ChargerFirmware.Drivers.Panel;
using Xunit;

namespace ChargerFirmware.Tests.Device;

public class TouchInputTests
{
    // The reference board's default: the controller's Y channel runs along the width, both axes backwards.
    private static TouchCalibration Reference() => new(3800, 250, 3700, 300, swapAxes: true, 320, 240);

    [Theory]
    [InlineData(3700, 3800, 0, 0)]
    [InlineData(300, 250, 319, 239)]
    [InlineData(2000, 2025, 160, 120)]
    [InlineData(1350, 1700, 189, 165)]
    public void Edge_readings_map_to_the_screen_corners_and_between(int rawX, int rawY, int x, int y)
    {
        Assert.True(Reference().TryMap(rawX, rawY, out int xPx, out int yPx));
        Assert.InRange(xPx, x - 1, x + 1);
        Assert.InRange(yPx, y - 1, y + 1);
    }

    [Fact]
    public void Unswapped_forward_axes_map_directly()
    {
        var calibration = new TouchCalibration(200, 3900, 300, 3800, swapAxes: false, 320, 240);

        Assert.True(calibration.TryMap(200, 3800, out int x, out int y));
        Assert.Equal((0, 239), (x, y));
    }

    [Fact]
    public void Slightly_outside_clamps_to_the_edge_far_outside_is_noise()
    {
        var calibration = new TouchCalibration(0, 3190, 0, 2390, swapAxes: false, 320, 240);

        Assert.True(calibration.TryMap(-100, 2450, out int x, out int y));
        Assert.Equal((0, 239), (x, y));
        Assert.False(calibration.TryMap(-300, 1000, out _, out _));
        Assert.False(calibration.TryMap(1000, 2600, out _, out _));
    }

    [Fact]
    public void Calibration_refuses_a_zero_span()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TouchCalibration(100, 100, 0, 4000, false, 320, 240));
    }

    [Fact]
    public void Median_ignores_an_outlier_within_the_spread()
    {
        int[] values = [2010, 1990, 2050, 2000, 2005];

        Assert.True(TouchSampleFilter.TryMedian(values, values.Length, 60, out int median));
        Assert.Equal(2005, median);
        Assert.Equal([1990, 2000, 2005, 2010, 2050], values);
    }

    [Fact]
    public void Readings_spread_too_wide_are_dropped()
    {
        int[] values = [2000, 2010, 3000];

        Assert.False(TouchSampleFilter.TryMedian(values, values.Length, 60, out _));
        Assert.False(TouchSampleFilter.TryMedian(values, 0, 60, out _));
        Assert.True(TouchSampleFilter.TryMedian(values, 2, 60, out _));
    }

    [Theory]
    [InlineData(0xABC, false)]
    [InlineData(0x000, true)]
    [InlineData(0xFFF, false)]
    [InlineData(0x801, true)]
    public void Xpt2046_result_is_the_12_bits_after_the_busy_bit(int value, bool busyBitSet)
    {
        int word = (value << 3) | (busyBitSet ? 0x8000 : 0) | 0b101; // padding bits carry junk
        Assert.Equal(value, Xpt2046.Decode((byte)(word >> 8), (byte)word));
    }

    [Fact]
    public void Pressure_threshold_separates_touch_from_no_touch()
    {
        Assert.False(Xpt2046.IsPressed(12, 300));
        Assert.True(Xpt2046.IsPressed(300, 300));
    }

    [Fact]
    public void Tap_counts_on_release_over_the_same_button()
    {
        var tracker = new TouchButtonTracker(releasePolls: 2);

        Assert.Equal(TouchButtonTracker.NoButton, tracker.Update(true, 4));
        Assert.Equal(TouchButtonTracker.NoButton, tracker.Update(true, 4));
        Assert.Equal(TouchButtonTracker.NoButton, tracker.Update(false, TouchButtonTracker.NoButton));
        Assert.Equal(4, tracker.Update(false, TouchButtonTracker.NoButton));
        Assert.Equal(TouchButtonTracker.NoButton, tracker.Update(false, TouchButtonTracker.NoButton));
    }

    [Fact]
    public void Sliding_off_the_button_cancels_the_tap()
    {
        var tracker = new TouchButtonTracker(releasePolls: 1);

        tracker.Update(true, 4);
        tracker.Update(true, TouchButtonTracker.NoButton);
        tracker.Update(true, 4);

        Assert.Equal(TouchButtonTracker.NoButton, tracker.Update(false, TouchButtonTracker.NoButton));
    }

    [Fact]
    public void Contact_flicker_shorter_than_the_release_polls_is_one_press()
    {
        var tracker = new TouchButtonTracker(releasePolls: 3);
        var taps = new List<int>();
        bool[] touching = [true, false, true, false, false, true, false, false, false, false];
        foreach (bool t in touching)
        {
            int tap = tracker.Update(t, t ? 2 : TouchButtonTracker.NoButton);
            if (tap != TouchButtonTracker.NoButton)
            {
                taps.Add(tap);
            }
        }

        Assert.Equal([2], taps);
    }

    [Fact]
    public void Landing_between_buttons_taps_nothing()
    {
        var tracker = new TouchButtonTracker(1);
        tracker.Update(true, TouchButtonTracker.NoButton);
        Assert.Equal(TouchButtonTracker.NoButton, tracker.Update(false, TouchButtonTracker.NoButton));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TouchButtonTracker(0));
    }

    [Fact]
    public void Locator_finds_the_cell_under_a_noisy_touch()
    {
        var locator = new TouchLocator(Reference(), new TextGrid(320, 240, 2, 2), maxSpread: 60);

        // Pixel (70, 215): row 13, column 5. Raw values for it under the reference calibration, with noise.
        int rawYCentre = 3800 - (70 * (3800 - 250) / 319);
        int rawXCentre = 3700 - (215 * (3700 - 300) / 239);
        int[] rawX = [rawXCentre + 8, rawXCentre - 5, rawXCentre, rawXCentre + 3, rawXCentre - 20];
        int[] rawY = [rawYCentre - 4, rawYCentre + 6, rawYCentre, rawYCentre + 1, rawYCentre + 25];

        Assert.True(locator.TryCellAt(rawX, rawY, 5, out int row, out int column));
        Assert.Equal((13, 5), (row, column));
    }

    [Fact]
    public void Locator_drops_noisy_and_off_screen_touches()
    {
        var locator = new TouchLocator(Reference(), new TextGrid(320, 240, 2, 2), maxSpread: 60);

        Assert.False(locator.TryCellAt([2000, 2000, 2900], [2000, 2000, 2000], 3, out _, out _));
        Assert.False(locator.TryCellAt([2000], [4095], 1, out _, out _)); // far left of the screen
        Assert.True(locator.TryCellAt([2000], [2000], 1, out _, out _));
    }

    [Fact]
    public void No_button_is_the_consent_screens_none()
    {
        Assert.Equal(ChargerFirmware.Panel.PanelButtons.None, TouchButtonTracker.NoButton);
    }
}
