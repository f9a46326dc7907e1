using ChargerFirmware.VirtualHardware;

namespace ChargerFirmware.Simulator.Hardware;

/// <summary>
/// The car a simulated driver plugs in. <paramref name="Car"/> names which car it is: the same
/// number plugs the same car (the same EVCCID) again, so the charger can recognise it; 0 is a car
/// never seen before on each plug-in (the demo's and the fleet's passers-by).
/// </summary>
public sealed record CarSpec(
    int CapacityWh = 40_000,
    int SocPermille = 450,
    int MaxChargeW = 11_000,
    int MaxDischargeW = 10_000,
    int EfficiencyPermille = 950,
    bool PowerLineLink = true,
    int Car = 0)
{
    /// <summary>A fresh battery with these parameters; <paramref name="evccId"/> names its modem.</summary>
    public VirtualCar Build(byte[] evccId) =>
        new(CapacityWh, SocPermille, MaxChargeW, MaxDischargeW, EfficiencyPermille, hasPowerLineLink: PowerLineLink, evccId: evccId);

    /// <summary>Reads <c>car=N soc=P capacity=WH plc=yes|no charge=W discharge=W efficiency=PERMILLE</c> over this spec; throws <see cref="FormatException"/> on a bad word.</summary>
    public CarSpec With(IEnumerable<string> words)
    {
        CarSpec spec = this;
        foreach (string word in words)
        {
            int eq = word.IndexOf('=');
            string key = eq > 0 ? word[..eq] : word;
            string value = eq > 0 ? word[(eq + 1)..] : string.Empty;
            spec = key switch
            {
                "car" => spec with { Car = Parse(value, 1, 99, key) },
                "soc" => spec with { SocPermille = Parse(value, 0, 100, key) * 10 },
                "capacity" => spec with { CapacityWh = Parse(value, 1_000, 200_000, key) },
                "charge" => spec with { MaxChargeW = Parse(value, 0, 100_000, key) },
                "discharge" => spec with { MaxDischargeW = Parse(value, 0, 100_000, key) },
                "efficiency" => spec with { EfficiencyPermille = Parse(value, 500, 1000, key) },
                "plc" => spec with { PowerLineLink = value switch { "yes" => true, "no" => false, _ => throw new FormatException("plc must be yes or no") } },
                _ => throw new FormatException($"unknown car setting '{key}' (car, soc, capacity, charge, discharge, efficiency, plc)"),
            };
        }

        return spec;
    }

    private static int Parse(string value, int min, int max, string key) =>
        int.TryParse(value, out int n) && n >= min && n <= max ? n : throw new FormatException($"{key} must be an integer {min}..{max}");
}
