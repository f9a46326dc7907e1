namespace ChargerFirmware.Drivers.Rcd
{
    /// <summary>
    /// Residual current monitor (RCD / RDC-DD). The self-test logic is portable: it drives the test
    /// output, expects a trip within a deadline, releases it and expects the trip to clear.
    /// </summary>
    public interface IResidualCurrentMonitor
    {
        /// <summary>True while the monitor reports a residual current trip.</summary>
        bool Tripped { get; }

        /// <summary>Drives the self-test winding; true injects a test current.</summary>
        void DriveTest(bool on);
    }
}
