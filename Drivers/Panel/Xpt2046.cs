namespace ChargerFirmware.Drivers.Panel
{
    /// <summary>
    /// The XPT2046 resistive touch controller's SPI protocol: a control byte (start bit, channel,
    /// 12-bit differential mode, power down between conversions), then two bytes holding a busy bit,
    /// the 12-bit result MSB first and three padding bits.
    /// </summary>
    public static class Xpt2046
    {
        /// <summary>Control byte: measure the X plate.</summary>
        public const byte ReadX = 0xD0;

        /// <summary>Control byte: measure the Y plate.</summary>
        public const byte ReadY = 0x90;

        /// <summary>Control byte: measure Z1 (rises with touch pressure, about 0 untouched).</summary>
        public const byte ReadZ1 = 0xB0;

        /// <summary>Largest conversion result.</summary>
        public const int MaxValue = 4095;

        /// <summary>The 12-bit result carried by the two bytes clocked in after a control byte.</summary>
        public static int Decode(byte high, byte low)
        {
            return (((high << 8) | low) >> 3) & MaxValue;
        }

        /// <summary>True when a Z1 reading of <paramref name="z1"/> means a finger presses the panel.</summary>
        public static bool IsPressed(int z1, int threshold)
        {
            return z1 >= threshold;
        }
    }
}
