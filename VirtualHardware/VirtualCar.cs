namespace ChargerFirmware.VirtualHardware;

/// <summary>
/// A car's traction battery seen from the charger's DC terminal. Energy is kept exactly, in
/// microjoules (mW·ms); the state of charge is derived from it. Charging stores
/// <see cref="ChargeEfficiencyPermille"/> of what enters the terminal; discharging takes more out
/// of the cells than leaves the terminal by the same efficiency. The car stops charging by itself
/// when full and refuses to discharge below its own minimum.
/// </summary>
public sealed class VirtualCar
{
    /// <summary>Microjoules in one Wh.</summary>
    public const long MicroJoulesPerWh = 3_600_000_000;

    private long _dischargeRemainder;

    /// <summary>Creates a car with <paramref name="capacityWh"/> usable and <paramref name="socPermille"/> in it.</summary>
    public VirtualCar(
        int capacityWh,
        int socPermille,
        int maxChargeW,
        int maxDischargeW,
        int chargeEfficiencyPermille = 950,
        int minimumSocPermille = 50,
        bool hasPowerLineLink = true,
        byte[]? evccId = null)
    {
        if (capacityWh <= 0 || socPermille is < 0 or > 1000 || chargeEfficiencyPermille is <= 0 or > 1000
            || minimumSocPermille is < 0 or > 1000 || maxChargeW < 0 || maxDischargeW < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacityWh));
        }

        CapacityWh = capacityWh;
        StoredMicroJoules = CapacityMicroJoules * socPermille / 1000;
        MaxChargeW = maxChargeW;
        MaxDischargeW = maxDischargeW;
        ChargeEfficiencyPermille = chargeEfficiencyPermille;
        MinimumSocPermille = minimumSocPermille;
        HasPowerLineLink = hasPowerLineLink;
        EvccId = evccId ?? [0x02, 0x00, 0x5E, 0x10, 0x20, 0x30];
    }

    /// <summary>Usable capacity in Wh.</summary>
    public int CapacityWh { get; }

    /// <summary>Usable capacity in microjoules.</summary>
    public long CapacityMicroJoules => CapacityWh * MicroJoulesPerWh;

    /// <summary>Energy in the cells, in microjoules.</summary>
    public long StoredMicroJoules { get; private set; }

    /// <summary>Energy in the cells, in whole Wh.</summary>
    public long StoredWh => StoredMicroJoules / MicroJoulesPerWh;

    /// <summary>State of charge in per-mille (rounded down).</summary>
    public int SocPermille => (int)(StoredMicroJoules * 1000 / CapacityMicroJoules);

    /// <summary>Largest charging power the car accepts, in W.</summary>
    public int MaxChargeW { get; set; }

    /// <summary>Largest discharging power the car gives, in W (0: the car offers no discharge).</summary>
    public int MaxDischargeW { get; set; }

    /// <summary>Share of the terminal energy that reaches the cells when charging, and the inverse when discharging.</summary>
    public int ChargeEfficiencyPermille { get; }

    /// <summary>The car's own floor: it refuses to discharge below it.</summary>
    public int MinimumSocPermille { get; set; }

    /// <summary>True when the car speaks ISO 15118 over the power line (else basic PWM charging only).</summary>
    public bool HasPowerLineLink { get; set; }

    /// <summary>The EVCCID (MAC of its modem) the car presents when matched.</summary>
    public byte[] EvccId { get; set; }

    /// <summary>Pack voltage at 0 % in mV.</summary>
    public int EmptyVoltageMv { get; set; } = 330_000;

    /// <summary>Pack voltage at 100 % in mV.</summary>
    public int FullVoltageMv { get; set; } = 400_000;

    /// <summary>Pack voltage now, linear in the state of charge, in mV.</summary>
    public int BatteryVoltageMv => EmptyVoltageMv + (int)((long)(FullVoltageMv - EmptyVoltageMv) * StoredMicroJoules / CapacityMicroJoules);

    /// <summary>True when the cells are full: the car accepts no more charge.</summary>
    public bool IsFull => StoredMicroJoules >= CapacityMicroJoules;

    /// <summary>True at the car's own minimum: it gives no more energy.</summary>
    public bool IsEmpty => StoredMicroJoules <= MinimumMicroJoules;

    private long MinimumMicroJoules => CapacityMicroJoules * MinimumSocPermille / 1000;

    /// <summary>The terminal power the car takes now for a request (+ charge, - discharge), after its own limits.</summary>
    public int AcceptablePower(int requestedW)
    {
        if (requestedW > 0)
        {
            return IsFull ? 0 : Math.Min(requestedW, MaxChargeW);
        }

        return requestedW < 0 && !IsEmpty ? Math.Max(requestedW, -MaxDischargeW) : 0;
    }

    /// <summary>
    /// Moves <paramref name="watts"/> at the terminal for <paramref name="ms"/> (+ into the car);
    /// returns the terminal energy actually moved in W·ms (signed), less when the car fills up or
    /// reaches its minimum meanwhile.
    /// </summary>
    public long Flow(int watts, long ms)
    {
        if (watts > 0)
        {
            long gain = (long)watts * ms * ChargeEfficiencyPermille;
            long room = CapacityMicroJoules - StoredMicroJoules;
            if (gain <= room)
            {
                StoredMicroJoules += gain;
                return (long)watts * ms;
            }

            StoredMicroJoules = CapacityMicroJoules;
            return Math.Max(0, (room + ChargeEfficiencyPermille - 1) / ChargeEfficiencyPermille);
        }

        if (watts < 0)
        {
            long need = (-(long)watts * ms * 1_000_000) + _dischargeRemainder;
            long loss = need / ChargeEfficiencyPermille;
            long available = StoredMicroJoules - MinimumMicroJoules;
            if (loss <= available)
            {
                StoredMicroJoules -= loss;
                _dischargeRemainder = need % ChargeEfficiencyPermille;
                return (long)watts * ms;
            }

            StoredMicroJoules -= Math.Max(0, available);
            _dischargeRemainder = 0;
            return -(Math.Max(0, available) * ChargeEfficiencyPermille / 1_000_000);
        }

        return 0;
    }
}
