namespace ChargerFirmware.Drivers.Device.Board
{
    /// <summary>
    /// The reference board in one place: an ESP32-WROVER module (4 MB flash, PSRAM) with the charger's
    /// front ends. Pin numbers are ESP32 GPIO numbers. Avoided: GPIO 6-11 (flash), 16-17 (PSRAM on
    /// WROVER), 1 and 3 (UART0 = COM1, nanoFramework's debug and deploy port), 0 and 12 (boot
    /// strapping), ADC2 pins for analogue (ADC2 is unusable while Wi-Fi runs). Strapping pins 2, 5 and
    /// 15 carry signals whose idle level matches their boot level. Drivers/Device/README.md has the
    /// wiring table and the front-end formulas.
    /// </summary>
    public static class ReferenceBoard
    {
        // ---- Control pilot ----

        /// <summary>Pilot PWM out (LEDC) to the ±12 V driver; high = +12 V (non-inverting driver).</summary>
        public const int PilotPwmPin = 25;

        /// <summary>The ±12 V pilot driver copies the GPIO (true for a single-transistor inverting stage).</summary>
        public const bool PilotDriverInverting = false;

        /// <summary>Pilot PWM frequency, Hz (IEC 61851-1 / SAE J1772).</summary>
        public const int PilotPwmFrequencyHz = 1000;

        /// <summary>Pilot sense: GPIO 36 (SENSOR_VP) = nanoFramework ADC channel 0 (ADC1_CH0).</summary>
        public const int PilotAdcChannel = 0;

        /// <summary>Pilot sense series resistor R1 (pilot to ADC node), ohms.</summary>
        public const int PilotSeriesOhms = 100000;

        /// <summary>Pilot sense offset resistor R2 (2.5 V reference to ADC node), ohms.</summary>
        public const int PilotOffsetOhms = 16900;

        /// <summary>Pilot sense ground resistor R3 (ADC node to ground), ohms.</summary>
        public const int PilotGroundOhms = 22600;

        /// <summary>The precision reference (LM4040-2.5) feeding the pilot offset and the NTC, mV.</summary>
        public const int ReferenceMillivolts = 2500;

        /// <summary>ADC readings per pilot burst (buffer size).</summary>
        public const int PilotBurstSamples = 256;

        /// <summary>A burst lasts at least two PWM periods so both plateaus are in it whatever the phase, µs.</summary>
        public const int PilotBurstMicroseconds = 2100;

        // ---- Proximity pilot ----

        /// <summary>Proximity sense: GPIO 39 (SENSOR_VN) = ADC channel 3 (ADC1_CH3).</summary>
        public const int ProximityAdcChannel = 3;

        /// <summary>Pull-up from 3.3 V to PP, ohms (PP bands 80..2460 ohm read 0.24..2.35 V).</summary>
        public const int ProximityPullUpOhms = 1000;

        /// <summary>The proximity pull-up's supply (the 3.3 V rail; the PP bands are coarse), mV.</summary>
        public const int ProximitySupplyMillivolts = 3300;

        // ---- Temperature ----

        /// <summary>NTC (10 k, B 3950) at the contactor and terminals: GPIO 34 = ADC channel 6 (ADC1_CH6).</summary>
        public const int TemperatureAdcChannel = 6;

        /// <summary>Pull-up from the 2.5 V reference to the NTC, ohms (keeps -20..+100 °C inside 0.16..2.28 V).</summary>
        public const int NtcPullUpOhms = 10000;

        /// <summary>Readings averaged per temperature or proximity measurement.</summary>
        public const int SlowAdcSamples = 8;

        // ---- ADC calibration (two points per board; these defaults are the nominal 11 dB line) ----

        /// <summary>Raw count at the low calibration point.</summary>
        public const int AdcCalibrationRawLow = 0;

        /// <summary>Millivolts at the low calibration point.</summary>
        public const int AdcCalibrationMillivoltsLow = 0;

        /// <summary>Raw count at the high calibration point.</summary>
        public const int AdcCalibrationRawHigh = 4095;

        /// <summary>Millivolts at the high calibration point.</summary>
        public const int AdcCalibrationMillivoltsHigh = 3300;

        /// <summary>Largest count of the ESP32's 12-bit ADC.</summary>
        public const int AdcMaxRaw = 4095;

        // ---- Contactor ----

        /// <summary>Contactor coil drive out (to the relay driver transistor); high closes. 10 k pull-down keeps it open through reset.</summary>
        public const int ContactorDrivePin = 26;

        /// <summary>Auxiliary contact in via optocoupler (input-only pin, external 10 k pull-up); low = main contacts closed.</summary>
        public const int ContactorFeedbackPin = 35;

        // ---- Residual current monitor ----

        /// <summary>RCM fault output in (open collector, internal pull-up); low = tripped.</summary>
        public const int RcdTripPin = 33;

        /// <summary>RCM self-test winding drive out; high injects the test current. 10 k pull-down.</summary>
        public const int RcdTestPin = 32;

        // ---- RS-485 bus (converter and ISO 15118 companion module, Modbus RTU) on COM2 = UART1 ----

        /// <summary>Serial port of the RS-485 bus.</summary>
        public const string Rs485Port = "COM2";

        /// <summary>RS-485 transceiver DI (UART TX).</summary>
        public const int Rs485TxPin = 22;

        /// <summary>RS-485 transceiver RO (UART RX).</summary>
        public const int Rs485RxPin = 21;

        /// <summary>RS-485 transceiver DE and /RE tied together (UART RTS, high while sending). 10 k pull-down.</summary>
        public const int Rs485DriverEnablePin = 4;

        /// <summary>RS-485 baud rate (8 data bits, even parity, 1 stop bit: the Modbus RTU default framing).</summary>
        public const int Rs485BaudRate = 19200;

        // ---- Technician console on COM3 = UART2 ----

        /// <summary>Serial port of the console.</summary>
        public const string ConsolePort = "COM3";

        /// <summary>Console TX (GPIO 14 toggles at boot: a few junk characters on the console, harmless).</summary>
        public const int ConsoleTxPin = 14;

        /// <summary>Console RX.</summary>
        public const int ConsoleRxPin = 13;

        /// <summary>Console baud rate (8N1).</summary>
        public const int ConsoleBaudRate = 115200;

        // ---- Panel: 3.5" ST7796S 480 x 320 TFT and XPT2046 touch on SPI1 (VSPI pins) ----

        /// <summary>nanoFramework SPI bus of the panel.</summary>
        public const int PanelSpiBus = 1;

        /// <summary>SPI clock.</summary>
        public const int PanelSpiClockPin = 18;

        /// <summary>SPI MOSI (display and touch).</summary>
        public const int PanelSpiMosiPin = 23;

        /// <summary>SPI MISO (touch; the display is written only).</summary>
        public const int PanelSpiMisoPin = 19;

        /// <summary>Display chip select (strapping pin 15: idles high like its boot level).</summary>
        public const int DisplayChipSelectPin = 15;

        /// <summary>Display data/command select (low = command).</summary>
        public const int DisplayDataCommandPin = 27;

        /// <summary>Display SPI clock, Hz (ST7796S write cycle; many modules also run at 40 MHz).</summary>
        public const int DisplayClockHz = 20000000;

        /// <summary>Display width in landscape, pixels.</summary>
        public const int DisplayWidthPx = 480;

        /// <summary>Display height in landscape, pixels.</summary>
        public const int DisplayHeightPx = 320;

        /// <summary>Horizontal font magnification: 12-pixel cells, 40 columns (the consent screen needs 32).</summary>
        public const int PanelFontScaleX = 2;

        /// <summary>Vertical font magnification: 24-pixel cells, 13 rows (the consent screen needs 9).</summary>
        public const int PanelFontScaleY = 3;

        /// <summary>Touch chip select (strapping pin 5: idles high like its boot level).</summary>
        public const int TouchChipSelectPin = 5;

        /// <summary>Touch SPI clock, Hz (the XPT2046 allows 2.5 MHz).</summary>
        public const int TouchClockHz = 1000000;

        /// <summary>Z1 reading from which the panel counts as pressed.</summary>
        public const int TouchPressureThreshold = 300;

        /// <summary>Readings per axis per touch poll (median filtered).</summary>
        public const int TouchSamples = 5;

        /// <summary>Largest spread of one touch's readings, raw counts.</summary>
        public const int TouchMaxSpread = 60;

        /// <summary>Untouched polls in a row that end a press.</summary>
        public const int TouchReleasePolls = 2;

        /// <summary>Raw horizontal reading at the screen's left edge (measure per panel).</summary>
        public const int TouchRawLeft = 3800;

        /// <summary>Raw horizontal reading at the screen's right edge.</summary>
        public const int TouchRawRight = 250;

        /// <summary>Raw vertical reading at the screen's top edge.</summary>
        public const int TouchRawTop = 3700;

        /// <summary>Raw vertical reading at the screen's bottom edge.</summary>
        public const int TouchRawBottom = 300;

        /// <summary>The XPT2046's Y channel runs along the landscape screen's width.</summary>
        public const bool TouchSwapAxes = true;

        // ---- Misc ----

        /// <summary>Status LED (active high; strapping pin 2 must stay low at boot, which the LED's resistor to ground ensures).</summary>
        public const int StatusLedPin = 2;

        /// <summary>
        /// Service button: the module's BOOT button (to ground, pulled up), inside the enclosure. Never
        /// driven, read only after power-up (held at reset it selects download mode): the service
        /// procedure presses it during the first seconds after power-on.
        /// </summary>
        public const int ServiceButtonPin = 0;

        /// <summary>Internal flash drive (LittleFS) of nanoFramework's ESP32 images.</summary>
        public const string StorageRoot = "I:\\";
    }
}
