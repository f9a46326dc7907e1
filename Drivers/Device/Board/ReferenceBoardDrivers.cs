using System;
using System.Device.Adc;
using System.Device.Gpio;
using System.Device.Pwm;
using System.Device.Spi;
using System.IO.Ports;
using ChargerFirmware.Drivers.Analog;
using ChargerFirmware.Drivers.Contactor;
using ChargerFirmware.Drivers.Device.Analog;
using ChargerFirmware.Drivers.Device.Clock;
using ChargerFirmware.Drivers.Device.Contactor;
using ChargerFirmware.Drivers.Device.Entropy;
using ChargerFirmware.Drivers.Device.Panel;
using ChargerFirmware.Drivers.Device.Pilot;
using ChargerFirmware.Drivers.Device.Platform;
using ChargerFirmware.Drivers.Device.Rcd;
using ChargerFirmware.Drivers.Device.Serial;
using ChargerFirmware.Drivers.Device.Storage;
using ChargerFirmware.Drivers.Device.Temperature;
using ChargerFirmware.Drivers.Entropy;
using ChargerFirmware.Drivers.Modbus;
using ChargerFirmware.Drivers.Panel;
using ChargerFirmware.Drivers.Pilot;
using ChargerFirmware.Drivers.Platform;
using ChargerFirmware.Drivers.Proximity;
using ChargerFirmware.Drivers.Rcd;
using ChargerFirmware.Drivers.Serial;
using ChargerFirmware.Drivers.Storage;
using ChargerFirmware.Drivers.Temperature;
using nanoFramework.Hardware.Esp32;

namespace ChargerFirmware.Drivers.Device.Board
{
    /// <summary>
    /// Every driver of the <see cref="ReferenceBoard"/>, opened once at start: assigns the ESP32 pin
    /// functions, opens the pins, ADC channels, PWM, UARTs and SPI devices, and builds the adapters
    /// with their portable front ends. The entry point hands these to the firmware.
    /// </summary>
    public sealed class ReferenceBoardDrivers
    {
        /// <summary>Monotonic and wall time.</summary>
        public readonly IClock Clock;

        /// <summary>Pilot 1 kHz PWM (starts in state F).</summary>
        public readonly IPilotPwm PilotPwm;

        /// <summary>Pilot plateaus.</summary>
        public readonly IPilotSampler PilotSampler;

        /// <summary>Main contactor with auxiliary feedback (starts open).</summary>
        public readonly IContactor Contactor;

        /// <summary>Residual current monitor.</summary>
        public readonly IResidualCurrentMonitor Rcd;

        /// <summary>NTC temperature at the contactor and terminals.</summary>
        public readonly ITemperatureSensor Temperature;

        /// <summary>Proximity pilot resistance.</summary>
        public readonly IProximitySensor Proximity;

        /// <summary>Hardware random bytes.</summary>
        public readonly IEntropySource Entropy;

        /// <summary>Files on the internal flash drive.</summary>
        public readonly IStorage Storage;

        /// <summary>Technician console on COM3.</summary>
        public readonly IByteStream Console;

        /// <summary>RS-485 bus (Modbus RTU, 8E1) on COM2, shared by the converter and the ISO 15118 module.</summary>
        public readonly IModbusPort Rs485;

        /// <summary>Touch panel.</summary>
        public readonly ITextPanel Panel;

        /// <summary>Status LED (high = on).</summary>
        public readonly GpioPin StatusLed;

        /// <summary>The service button (the BOOT button inside the enclosure, pressed after power-up).</summary>
        public readonly IServiceButton ServiceButton;

        /// <summary>Opens the whole board. Throws when a pin or peripheral cannot be had (wrong firmware image or board).</summary>
        public ReferenceBoardDrivers()
        {
            AssignPinFunctions();
            GpioController gpio = new GpioController();
            AdcController adc = new AdcController();
            AdcCalibration calibration = new AdcCalibration(
                ReferenceBoard.AdcCalibrationRawLow,
                ReferenceBoard.AdcCalibrationMillivoltsLow,
                ReferenceBoard.AdcCalibrationRawHigh,
                ReferenceBoard.AdcCalibrationMillivoltsHigh,
                ReferenceBoard.AdcMaxRaw);

            Clock = new DeviceClock();

            PwmChannel pwm = PwmChannel.CreateFromPin(ReferenceBoard.PilotPwmPin, ReferenceBoard.PilotPwmFrequencyHz, 0);
            if (pwm == null)
            {
                throw new InvalidOperationException("no PWM channel on the pilot pin");
            }

            PilotPwm = new PwmPilotOutput(pwm, ReferenceBoard.PilotDriverInverting);
            PilotSampler = new AdcPilotSampler(
                adc.OpenChannel(ReferenceBoard.PilotAdcChannel),
                new PilotFrontEnd(
                    ReferenceBoard.PilotSeriesOhms,
                    ReferenceBoard.PilotOffsetOhms,
                    ReferenceBoard.PilotGroundOhms,
                    ReferenceBoard.ReferenceMillivolts,
                    calibration),
                ReferenceBoard.PilotBurstSamples,
                ReferenceBoard.PilotBurstMicroseconds);

            Contactor = new GpioContactor(
                gpio.OpenPin(ReferenceBoard.ContactorDrivePin, PinMode.Output),
                gpio.OpenPin(ReferenceBoard.ContactorFeedbackPin, PinMode.Input));
            Rcd = new GpioResidualCurrentMonitor(
                gpio.OpenPin(ReferenceBoard.RcdTripPin, PinMode.InputPullUp),
                gpio.OpenPin(ReferenceBoard.RcdTestPin, PinMode.Output));

            Temperature = new NtcTemperatureSensor(new AdcResistanceSensor(
                adc.OpenChannel(ReferenceBoard.TemperatureAdcChannel),
                new ResistanceSense(calibration, ReferenceBoard.ReferenceMillivolts, ReferenceBoard.NtcPullUpOhms),
                ReferenceBoard.SlowAdcSamples));
            Proximity = new AdcResistanceSensor(
                adc.OpenChannel(ReferenceBoard.ProximityAdcChannel),
                new ResistanceSense(calibration, ReferenceBoard.ProximitySupplyMillivolts, ReferenceBoard.ProximityPullUpOhms),
                ReferenceBoard.SlowAdcSamples);

            Entropy = new HardwareEntropy();
            Storage = new FlashStorage(ReferenceBoard.StorageRoot);

            SerialPort console = new SerialPort(ReferenceBoard.ConsolePort, ReferenceBoard.ConsoleBaudRate);
            console.Open();
            Console = new UartByteStream(console);

            Rs485 = new SerialModbusPort(ReferenceBoard.Rs485Port, ReferenceBoard.Rs485BaudRate, Parity.Even);

            Panel = OpenPanel(gpio);
            StatusLed = gpio.OpenPin(ReferenceBoard.StatusLedPin, PinMode.Output);
            ServiceButton = new GpioServiceButton(gpio.OpenPin(ReferenceBoard.ServiceButtonPin, PinMode.InputPullUp), StatusLed);
        }

        private static void AssignPinFunctions()
        {
            Configuration.SetPinFunction(ReferenceBoard.PilotPwmPin, DeviceFunction.PWM1);
            Configuration.SetPinFunction(ReferenceBoard.Rs485TxPin, DeviceFunction.COM2_TX);
            Configuration.SetPinFunction(ReferenceBoard.Rs485RxPin, DeviceFunction.COM2_RX);
            Configuration.SetPinFunction(ReferenceBoard.Rs485DriverEnablePin, DeviceFunction.COM2_RTS);
            Configuration.SetPinFunction(ReferenceBoard.ConsoleTxPin, DeviceFunction.COM3_TX);
            Configuration.SetPinFunction(ReferenceBoard.ConsoleRxPin, DeviceFunction.COM3_RX);
            Configuration.SetPinFunction(ReferenceBoard.PanelSpiClockPin, DeviceFunction.SPI1_CLOCK);
            Configuration.SetPinFunction(ReferenceBoard.PanelSpiMosiPin, DeviceFunction.SPI1_MOSI);
            Configuration.SetPinFunction(ReferenceBoard.PanelSpiMisoPin, DeviceFunction.SPI1_MISO);
        }

        private static ITextPanel OpenPanel(GpioController gpio)
        {
            SpiConnectionSettings displaySettings = new SpiConnectionSettings(ReferenceBoard.PanelSpiBus, ReferenceBoard.DisplayChipSelectPin);
            displaySettings.ClockFrequency = ReferenceBoard.DisplayClockHz;
            displaySettings.Mode = SpiMode.Mode0;
            SpiConnectionSettings touchSettings = new SpiConnectionSettings(ReferenceBoard.PanelSpiBus, ReferenceBoard.TouchChipSelectPin);
            touchSettings.ClockFrequency = ReferenceBoard.TouchClockHz;
            touchSettings.Mode = SpiMode.Mode0;

            TextGrid grid = new TextGrid(
                ReferenceBoard.DisplayWidthPx,
                ReferenceBoard.DisplayHeightPx,
                ReferenceBoard.PanelFontScaleX,
                ReferenceBoard.PanelFontScaleY);
            TouchCalibration calibration = new TouchCalibration(
                ReferenceBoard.TouchRawLeft,
                ReferenceBoard.TouchRawRight,
                ReferenceBoard.TouchRawTop,
                ReferenceBoard.TouchRawBottom,
                ReferenceBoard.TouchSwapAxes,
                ReferenceBoard.DisplayWidthPx,
                ReferenceBoard.DisplayHeightPx);

            return new SpiTftTextPanel(
                SpiDevice.Create(displaySettings),
                gpio.OpenPin(ReferenceBoard.DisplayDataCommandPin, PinMode.Output),
                SpiDevice.Create(touchSettings),
                new FramePainter(grid, new TextRasterizer(grid, PanelPalette.Charger())),
                new TouchLocator(calibration, grid, ReferenceBoard.TouchMaxSpread),
                new TouchButtonTracker(ReferenceBoard.TouchReleasePolls),
                ReferenceBoard.TouchSamples,
                ReferenceBoard.TouchPressureThreshold);
        }
    }
}
