namespace ChargerFirmware.Simulator.Hardware;

/// <summary>
/// A charger's link to the aggregator as the simulator drives it: stepped by the link pump's
/// threads, apart from the control loops (a publish may wait for the broker; a control tick must not).
/// </summary>
public interface IChargerLink
{
    /// <summary>True while connected to the broker.</summary>
    bool Online { get; }

    /// <summary>One round: connect when due, hand received messages in, publish what the loop posted.</summary>
    void Step(long nowMs);

    /// <summary>Says "offline" and disconnects cleanly.</summary>
    void Shutdown();
}
