namespace ChargerFirmware.Drivers.Temperature
{
    /// <summary>The charger's internal temperature sensor (contactor and terminals).</summary>
    public interface ITemperatureSensor
    {
        /// <summary>Reads the temperature in tenths of a degree Celsius; false on a sensor failure.</summary>
        bool TryRead(out int deciCelsius);
    }
}
