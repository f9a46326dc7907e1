namespace ChargerFirmware.DeviceTests.Scenario
{
    /// <summary>Where a run writes its lines: nanoCLR's debug output on the device runtime, a list in the host suite.</summary>
    public interface IReport
    {
        /// <summary>Writes one line.</summary>
        void Line(string text);
    }
}
