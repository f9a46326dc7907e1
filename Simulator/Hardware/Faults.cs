namespace ChargerFirmware.Simulator.Hardware;

/// <summary>The hardware faults the simulator can inject, by the names the command line uses.</summary>
public enum InjectedFault
{
    /// <summary>A residual current trips the RCD.</summary>
    Rcd,

    /// <summary>The car's pilot diode is missing.</summary>
    Diode,

    /// <summary>The contactor's contacts are welded.</summary>
    Weld,

    /// <summary>The charger's inside is too hot.</summary>
    OverTemperature,

    /// <summary>The converter reports an internal fault.</summary>
    Converter,

    /// <summary>The pilot line is shorted to earth.</summary>
    PilotShort,
}

/// <summary>Names of <see cref="InjectedFault"/> as typed.</summary>
public static class FaultNames
{
    /// <summary>Every name, in the order of the enum.</summary>
    public static readonly string[] All = ["rcd", "diode", "weld", "overtemp", "converter", "pilot-short"];

    /// <summary>The fault called <paramref name="name"/>; false when there is none.</summary>
    public static bool TryParse(string name, out InjectedFault fault)
    {
        int index = Array.IndexOf(All, name);
        fault = (InjectedFault)Math.Max(index, 0);
        return index >= 0;
    }

    /// <summary>The typed name of <paramref name="fault"/>.</summary>
    public static string Name(InjectedFault fault) => All[(int)fault];
}
