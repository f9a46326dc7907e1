namespace ChargerFirmware.Consent
{
    /// <summary>Configuration of <see cref="ConsentSession"/>; read when a session opens.</summary>
    public sealed class ConsentOptions
    {
        /// <summary>Default answer time: two minutes.</summary>
        public const long DefaultTimeoutMs = 120000;

        /// <summary>How long the driver has to answer; no answer by then counts as a refusal.</summary>
        public long TimeoutMs = DefaultTimeoutMs;

        /// <summary>Whether answers from the driver's phone or the car's screen are accepted (the panel always is).</summary>
        public bool RemoteAnswersEnabled = true;
    }
}
