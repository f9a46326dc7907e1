namespace ChargerFirmware.Link
{
    /// <summary>
    /// The wait before each reconnection attempt: the minimum, doubled after every failure up to the
    /// maximum, spread by ±20 % so a fleet that lost its broker at the same moment does not come back
    /// at the same moment; never above the maximum. Without end: the charger never stops trying.
    /// The jitter comes from a small seeded generator (xorshift32), so a test can replay it.
    /// </summary>
    public sealed class ReconnectBackoff
    {
        /// <summary>The spread around the doubled delay, per-mille each way.</summary>
        public const int JitterPermille = 200;

        private uint _state;

        /// <summary>A backoff whose jitter starts from <paramref name="seed"/> (any value; 0 is replaced).</summary>
        public ReconnectBackoff(int seed)
        {
            _state = seed == 0 ? 0x9E3779B9u : (uint)seed;
        }

        /// <summary>Failures since the last <see cref="Reset"/>.</summary>
        public int Attempts { get; private set; }

        /// <summary>The link is up again: the next failure waits the minimum once more.</summary>
        public void Reset()
        {
            Attempts = 0;
        }

        /// <summary>
        /// Counts a failure and returns the wait before the next attempt, ms: <paramref name="minMs"/>
        /// × 2^(failures before this one), capped at <paramref name="maxMs"/>, ±20 %, at most
        /// <paramref name="maxMs"/> and at least 1.
        /// </summary>
        public int Next(int minMs, int maxMs)
        {
            long min = minMs < 1 ? 1 : minMs;
            long max = maxMs < min ? min : maxMs;
            long delay = min;
            for (int i = 0; i < Attempts && delay < max; i++)
            {
                delay *= 2;
            }

            if (delay > max)
            {
                delay = max;
            }

            if (Attempts < int.MaxValue)
            {
                Attempts++;
            }

            long spread = (long)(NextRandom() % (2 * JitterPermille + 1)) - JitterPermille;
            delay += delay * spread / 1000;
            if (delay > max)
            {
                delay = max;
            }

            return delay < 1 ? 1 : (int)delay;
        }

        private uint NextRandom()
        {
            uint x = _state;
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            _state = x;
            return x;
        }
    }
}
