namespace ChargerFirmware.Drivers.SunSpec
{
    /// <summary>
    /// Settings of a <see cref="SunSpecConverter"/>; the defaults suit a 7-11 kW converter at 19200
    /// baud. The driver keeps this object and reads it afresh (the configuration's converter-poll-ms
    /// sets <see cref="CyclePeriodMs"/>).
    /// </summary>
    public sealed class SunSpecConverterOptions
    {
        /// <summary>The converter's Modbus unit address.</summary>
        public int UnitId = 1;

        /// <summary>How often measurements and storage status are read (the converter's poll period), in ms.</summary>
        public int CyclePeriodMs = 250;

        /// <summary>How often the rates are rewritten even when unchanged, in ms; well below <see cref="RevertSeconds"/>.</summary>
        public int RefreshPeriodMs = 1000;

        /// <summary>
        /// InOutWRte_RvrtTms written with every rate: the converter falls back to zero by itself
        /// when the controller stops refreshing for this long (the second line of defence).
        /// </summary>
        public int RevertSeconds = 5;

        /// <summary>InOutWRte_RmpTms written with every rate; 0 leaves the ramp to the converter.</summary>
        public int RampSeconds;

        /// <summary>Failed transactions in a row (after the master's retries) that raise the communication fault.</summary>
        public int FailuresForFault = 3;

        /// <summary>First wait before probing again a device whose map cannot be used, in ms; it doubles up to the bus's backoff maximum when larger.</summary>
        public int RediscoverDelayMs = 10000;
    }
}
