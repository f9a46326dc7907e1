namespace ChargerFirmware.Events
{
    /// <summary>
    /// A part that runs on a thread of its own (the control loop, its supervisor, the aggregator
    /// link, the technician console). The application watches them and restarts one whose thread
    /// died, rather than leaving the charger half alive.
    /// </summary>
    public interface IWorker
    {
        /// <summary>Starts the worker's thread.</summary>
        void Start();

        /// <summary>Stops the worker and waits for its thread.</summary>
        void Stop();

        /// <summary>True while the worker's thread is running.</summary>
        bool IsAlive { get; }
    }
}
