using Xunit;

namespace ChargerFirmware.Tests.Device;

/// <summary>Design rules of the reference board, checked on the numbers in ReferenceBoard.cs.</summary>
public class ReferenceBoardDesignTests
{
    // Flash (6-11), PSRAM on WROVER (16, 17), UART0 = nanoFramework's debug port (1, 3), boot strapping
    // that must not be driven (0 = download mode, 12 = flash voltage), pins the ESP32 or WROVER lacks.
    private static readonly int[] Forbidden = [0, 1, 3, 6, 7, 8, 9, 10, 11, 12, 16, 17, 20, 24, 28, 29, 30, 31, 37, 38];

    // GPIO 0 may only carry the module's own BOOT button, read (never driven) after power-up.
    private static readonly Dictionary<string, int> StrappingButtons = new() { ["ServiceButtonPin"] = 0 };

    private static readonly string[] InputPins = ["ContactorFeedbackPin", "RcdTripPin", "Rs485RxPin", "ConsoleRxPin", "PanelSpiMisoPin", "ServiceButtonPin"];

    // nanoFramework's ESP32 ADC channels 0-7 are ADC1 (usable with Wi-Fi on); 37 and 38 are not bonded on WROVER.
    private static readonly Dictionary<int, int> Adc1ChannelGpio = new() { [0] = 36, [3] = 39, [4] = 32, [5] = 33, [6] = 34, [7] = 35 };

    private static readonly string[] AdcChannels = ["PilotAdcChannel", "ProximityAdcChannel", "TemperatureAdcChannel"];

    [Fact]
    public void Every_gpio_has_one_function()
    {
        var pins = ReferenceBoardSource.Pins();
        var gpios = pins.Values.Concat(AdcChannels.Select(c => Adc1ChannelGpio[ReferenceBoardSource.Int(c)])).ToList();
        Assert.Equal(gpios.Count, gpios.Distinct().Count());
        Assert.True(pins.Count >= 17, "expected every signal of the board, found " + pins.Count);
    }

    [Fact]
    public void No_pin_on_flash_psram_debug_uart_or_unsafe_strapping_pins()
    {
        foreach (var (name, gpio) in ReferenceBoardSource.Pins())
        {
            Assert.True(gpio is >= 0 and <= 39, name);
            if (!StrappingButtons.TryGetValue(name, out int allowed) || allowed != gpio)
            {
                Assert.DoesNotContain(gpio, Forbidden);
            }
        }
    }

    [Fact]
    public void Input_only_gpios_34_to_39_carry_inputs_only()
    {
        foreach (var (name, gpio) in ReferenceBoardSource.Pins())
        {
            if (gpio >= 34)
            {
                Assert.Contains(name, InputPins);
            }
        }
    }

    [Fact]
    public void Analogue_inputs_are_on_adc1_channels_the_module_has()
    {
        Assert.All(AdcChannels, c => Assert.True(Adc1ChannelGpio.ContainsKey(ReferenceBoardSource.Int(c)), c));
        Assert.Equal(AdcChannels.Length, AdcChannels.Select(ReferenceBoardSource.Int).Distinct().Count());
    }

    [Theory]
    [InlineData(12600)]
    [InlineData(-12600)]
    public void Pilot_front_end_keeps_the_pilot_inside_the_adc_linear_range(int pilotMv)
    {
        double adcMv = PilotNetwork.AdcMillivolts(pilotMv);
        Assert.InRange(adcMv, 150, 2450);
    }

    [Theory]
    [InlineData(105385)] // -20 °C
    [InlineData(934)] // +100 °C
    public void Ntc_divider_keeps_minus_20_to_plus_100_C_inside_the_adc_linear_range(int ntcOhms)
    {
        double adcMv = ReferenceBoardSource.Int("ReferenceMillivolts") * ntcOhms / (double)(ntcOhms + ReferenceBoardSource.Int("NtcPullUpOhms"));
        Assert.InRange(adcMv, 150, 2450);
    }

    [Theory]
    [InlineData(80)]
    [InlineData(2460)]
    public void Proximity_divider_keeps_every_cable_band_inside_the_adc_linear_range(int ppOhms)
    {
        double adcMv = ReferenceBoardSource.Int("ProximitySupplyMillivolts") * ppOhms / (double)(ppOhms + ReferenceBoardSource.Int("ProximityPullUpOhms"));
        Assert.InRange(adcMv, 150, 2450);
    }

    [Fact]
    public void Pilot_burst_spans_two_pwm_periods()
    {
        Assert.Equal(1000, ReferenceBoardSource.Int("PilotPwmFrequencyHz"));
        Assert.True(ReferenceBoardSource.Int("PilotBurstMicroseconds") >= 2 * 1_000_000 / ReferenceBoardSource.Int("PilotPwmFrequencyHz"));
    }
}

/// <summary>The reference board's pilot sense network, solved in floating point as the test oracle.</summary>
internal static class PilotNetwork
{
    public static int R1 => ReferenceBoardSource.Int("PilotSeriesOhms");

    public static int R2 => ReferenceBoardSource.Int("PilotOffsetOhms");

    public static int R3 => ReferenceBoardSource.Int("PilotGroundOhms");

    public static int ReferenceMv => ReferenceBoardSource.Int("ReferenceMillivolts");

    public static double AdcMillivolts(double pilotMv)
    {
        double g = (1.0 / R1) + (1.0 / R2) + (1.0 / R3);
        return ((pilotMv / R1) + (ReferenceMv / (double)R2)) / g;
    }

    public static double PilotMillivolts(double adcMv)
    {
        double g = (1.0 / R1) + (1.0 / R2) + (1.0 / R3);
        return ((adcMv * g) - (ReferenceMv / (double)R2)) * R1;
    }
}
