using System;
using System.Device.Gpio;
using System.Device.Spi;
using System.Threading;
using ChargerFirmware.Drivers.Panel;

namespace ChargerFirmware.Drivers.Device.Panel
{
    /// <summary>
    /// An SPI TFT with the MIPI DCS command set (ST7796S 480 x 320 on the reference board; an ILI9341
    /// 320 x 240 takes the same commands) showing text rows, with an XPT2046 resistive touch controller
    /// on the same SPI bus. Moves bytes only: layout, font, colours, which rows to redraw, touch
    /// filtering, calibration and tap logic are the portable classes in Drivers/Panel.
    /// </summary>
    public sealed class SpiTftTextPanel : ITextPanel, IPixelWindow
    {
        private const byte SoftwareReset = 0x01;
        private const byte SleepOut = 0x11;
        private const byte DisplayOn = 0x29;
        private const byte ColumnAddressSet = 0x2A;
        private const byte PageAddressSet = 0x2B;
        private const byte MemoryWrite = 0x2C;
        private const byte MemoryAccessControl = 0x36;
        private const byte PixelFormatSet = 0x3A;

        // Row/column exchange (landscape) with BGR colour order; 16 bits per pixel.
        private const byte LandscapeBgr = 0x28;
        private const byte Rgb565Pixels = 0x55;

        private readonly SpiDevice _display;
        private readonly GpioPin _dataCommand;
        private readonly SpiDevice _touch;
        private readonly TextGrid _grid;
        private readonly FramePainter _painter;
        private readonly TouchLocator _locator;
        private readonly TouchButtonTracker _tracker;
        private readonly int _pressureThreshold;
        private readonly byte[] _one = new byte[1];
        private readonly byte[] _four = new byte[4];
        private readonly byte[] _touchOut = new byte[3];
        private readonly byte[] _touchIn = new byte[3];
        private readonly int[] _rawX;
        private readonly int[] _rawY;

        /// <summary>
        /// A panel drawing through <paramref name="display"/> (data/command select on
        /// <paramref name="dataCommand"/>) and reading touches through <paramref name="touch"/>
        /// (<paramref name="touchSamples"/> readings per axis per poll). Initialises and clears the screen.
        /// </summary>
        public SpiTftTextPanel(
            SpiDevice display,
            GpioPin dataCommand,
            SpiDevice touch,
            FramePainter painter,
            TouchLocator locator,
            TouchButtonTracker tracker,
            int touchSamples,
            int pressureThreshold)
        {
            _display = display;
            _dataCommand = dataCommand;
            _touch = touch;
            _painter = painter;
            _grid = painter.Grid;
            _locator = locator;
            _tracker = tracker;
            _pressureThreshold = pressureThreshold;
            _rawX = new int[touchSamples];
            _rawY = new int[touchSamples];
            Initialise();
        }

        /// <inheritdoc/>
        public int Columns
        {
            get { return _grid.Columns; }
        }

        /// <inheritdoc/>
        public int Rows
        {
            get { return _grid.Rows; }
        }

        /// <inheritdoc/>
        public void Show(PanelFrame frame)
        {
            _painter.Paint(frame, this);
        }

        /// <inheritdoc/>
        public void OpenWindow(int x0, int y0, int x1, int y1)
        {
            Command(ColumnAddressSet);
            Data(x0, x1);
            Command(PageAddressSet);
            Data(y0, y1);
            Command(MemoryWrite);
            _dataCommand.Write(PinValue.High);
        }

        /// <inheritdoc/>
        public void WritePixels(byte[] pixels, int count)
        {
            // The painter always hands whole buffers.
            _display.Write(pixels);
        }

        /// <inheritdoc/>
        public int ReadButton(ICellButtons buttons)
        {
            bool touching = Xpt2046.IsPressed(ReadTouch(Xpt2046.ReadZ1), _pressureThreshold);
            int button = TouchButtonTracker.NoButton;
            if (touching)
            {
                for (int i = 0; i < _rawX.Length; i++)
                {
                    _rawX[i] = ReadTouch(Xpt2046.ReadX);
                    _rawY[i] = ReadTouch(Xpt2046.ReadY);
                }

                int row;
                int column;
                if (_locator.TryCellAt(_rawX, _rawY, _rawX.Length, out row, out column))
                {
                    button = buttons.ButtonAt(row, column);
                }
            }

            return _tracker.Update(touching, button);
        }

        private void Initialise()
        {
            Command(SoftwareReset);
            Thread.Sleep(150);
            Command(SleepOut);
            Thread.Sleep(150);
            Command(PixelFormatSet);
            Data(Rgb565Pixels);
            Command(MemoryAccessControl);
            Data(LandscapeBgr);
            Command(DisplayOn);
            _painter.Clear(this);
        }

        private void Command(byte command)
        {
            _dataCommand.Write(PinValue.Low);
            _one[0] = command;
            _display.Write(_one);
        }

        private void Data(byte value)
        {
            _dataCommand.Write(PinValue.High);
            _one[0] = value;
            _display.Write(_one);
        }

        private void Data(int first, int last)
        {
            _dataCommand.Write(PinValue.High);
            _four[0] = (byte)(first >> 8);
            _four[1] = (byte)first;
            _four[2] = (byte)(last >> 8);
            _four[3] = (byte)last;
            _display.Write(_four);
        }

        private int ReadTouch(byte control)
        {
            _touchOut[0] = control;
            _touch.TransferFullDuplex(_touchOut, _touchIn);
            return Xpt2046.Decode(_touchIn[1], _touchIn[2]);
        }
    }
}
