namespace ChargerFirmware.Drivers.Modem
{
    /// <summary>
    /// Settings of a <see cref="ModemModule"/>. The driver keeps this object and reads it afresh
    /// (the configuration's modem-poll-ms sets <see cref="PollPeriodMs"/>).
    /// </summary>
    public sealed class ModemModuleOptions
    {
        /// <summary>The module's unit address (2 beside the converter at 1).</summary>
        public int UnitId = ModemRegisters.DefaultUnitId;

        /// <summary>How often the map is read (the module's poll period), in ms; the vehicle's SOC changes slowly.</summary>
        public int PollPeriodMs = 500;

        /// <summary>Failed reads in a row (after the bus's retries) that make the module lost; it is then probed with a doubling wait.</summary>
        public int FailuresForLoss = 3;
    }
}
