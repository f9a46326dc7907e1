namespace ChargerFirmware.Drivers.Proximity
{
    /// <summary>
    /// The Type 2 cable's current rating from its proximity resistor (IEC 61851-1 bands as the EVerest
    /// simulator applies them): 80-140 ohm 63 A, 140-308 ohm 32 A, 308-936 ohm 20 A, 936-2460 ohm
    /// 13 A. A resistance on a shared edge takes the smaller rating; anything outside 80-2460 ohm is
    /// no cable or a fault.
    /// </summary>
    public static class CableRating
    {
        /// <summary>No cable, or a resistance no cable codes.</summary>
        public const int NoCable = 0;

        /// <summary>Smallest resistance of a valid cable (63 A), in ohms.</summary>
        public const int MinOhms = 80;

        /// <summary>Largest resistance of a 63 A cable.</summary>
        public const int UpTo63AOhms = 139;

        /// <summary>Largest resistance of a 32 A cable.</summary>
        public const int UpTo32AOhms = 307;

        /// <summary>Largest resistance of a 20 A cable.</summary>
        public const int UpTo20AOhms = 935;

        /// <summary>Largest resistance of a valid cable (13 A), in ohms.</summary>
        public const int MaxOhms = 2460;

        /// <summary>The cable's rating in A (13, 20, 32, 63), or <see cref="NoCable"/>.</summary>
        public static int FromOhms(int ohms)
        {
            if (ohms < MinOhms || ohms > MaxOhms)
            {
                return NoCable;
            }

            if (ohms <= UpTo63AOhms)
            {
                return 63;
            }

            if (ohms <= UpTo32AOhms)
            {
                return 32;
            }

            if (ohms <= UpTo20AOhms)
            {
                return 20;
            }

            return 13;
        }
    }
}
