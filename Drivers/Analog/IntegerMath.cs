namespace ChargerFirmware.Drivers.Analog
{
    /// <summary>Integer helpers for the measurement paths (nanoFramework's mscorlib has no System.Math).</summary>
    public static class IntegerMath
    {
        /// <summary>
        /// <paramref name="numerator"/> / <paramref name="denominator"/> rounded half away from zero.
        /// <paramref name="denominator"/> must be positive.
        /// </summary>
        public static long DivideRounded(long numerator, long denominator)
        {
            long half = denominator / 2;
            return numerator >= 0
                ? (numerator + half) / denominator
                : -((-numerator + half) / denominator);
        }
    }
}
