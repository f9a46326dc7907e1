namespace ChargerFirmware.Drivers.Panel
{
    /// <summary>
    /// A resistive panel reads noisy while the finger lands or lifts: take several readings, use the
    /// median, and drop the touch when they disagree too much.
    /// </summary>
    public static class TouchSampleFilter
    {
        /// <summary>
        /// Sorts <paramref name="values"/>[0..<paramref name="count"/>) in place and returns its median;
        /// false when the readings spread over more than <paramref name="maxSpread"/> or there are none.
        /// </summary>
        public static bool TryMedian(int[] values, int count, int maxSpread, out int median)
        {
            median = 0;
            if (count < 1 || count > values.Length)
            {
                return false;
            }

            for (int i = 1; i < count; i++)
            {
                int value = values[i];
                int j = i - 1;
                while (j >= 0 && values[j] > value)
                {
                    values[j + 1] = values[j];
                    j--;
                }

                values[j + 1] = value;
            }

            if (values[count - 1] - values[0] > maxSpread)
            {
                return false;
            }

            median = values[count / 2];
            return true;
        }
    }
}
