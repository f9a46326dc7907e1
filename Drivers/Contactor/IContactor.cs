namespace ChargerFirmware.Drivers.Contactor
{
    /// <summary>The main contactor with its auxiliary feedback contact (for weld detection).</summary>
    public interface IContactor
    {
        /// <summary>Drives the coil: true closes the contactor.</summary>
        void Drive(bool closed);

        /// <summary>The auxiliary contact: true when the main contacts are really closed.</summary>
        bool FeedbackClosed { get; }
    }
}
