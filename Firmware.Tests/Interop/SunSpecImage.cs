using ChargerFirmware.Drivers.Modem;
using ChargerFirmware.Drivers.SunSpec;

namespace ChargerFirmware.Tests.Interop;

/// <summary>
/// A converter's SunSpec map written out register by register for a libmodbus slave, independent of
/// the driver's own virtual slave: "SunS" at 40000, model 1 (length as asked), model 124 and model
/// 714 with one EV port (either may be left out), the end marker. Values are what a healthy 11 kW
/// converter at rest reports; the scale factors and lengths are what a test breaks.
/// </summary>
internal sealed class SunSpecImage
{
    public const int Base = 40000;
    public const int RatedW = 11000;

    public int CommonLength { get; init; } = CommonModel.Length;

    public bool WithStorage { get; init; } = true;

    public bool WithDc { get; init; } = true;

    /// <summary>WChaMax_SF as written on the wire.</summary>
    public ushort RatingScale { get; init; }

    /// <summary>InOutWRte_SF as written on the wire (-2: 0.01 %).</summary>
    public ushort RateScale { get; init; } = unchecked((ushort)-2);

    /// <summary>DCW_SF as written on the wire.</summary>
    public ushort PowerScale { get; init; }

    public string Manufacturer { get; init; } = "Interop Power";

    public string SerialNumber { get; init; } = "IP-0001";

    public int CommonAt => Base + 2;

    public int StorageAt => CommonAt + 2 + CommonLength;

    public int DcAt => StorageAt + (WithStorage ? 2 + StorageModel.Length : 0);

    public RegisterImage Build()
    {
        int end = DcAt + (WithDc ? 2 + DcMeasurementModel.FixedLength + DcMeasurementModel.PortLength : 0);
        var image = new RegisterImage(Base, end + 2 - Base);
        image[Base] = SunSpecMap.MarkerHigh;
        image[Base + 1] = SunSpecMap.MarkerLow;

        image[CommonAt] = CommonModel.Id;
        image[CommonAt + 1] = (ushort)CommonLength;
        image.PutString(CommonAt + CommonModel.Manufacturer, CommonModel.LongStringRegisters, Manufacturer);
        image.PutString(CommonAt + CommonModel.Model, CommonModel.LongStringRegisters, "BiDi 11");
        image.PutString(CommonAt + CommonModel.Version, CommonModel.ShortStringRegisters, "2.4");
        image.PutString(CommonAt + CommonModel.SerialNumber, CommonModel.LongStringRegisters, SerialNumber);
        if (CommonLength >= CommonModel.DeviceAddress - 1)
        {
            image[CommonAt + CommonModel.DeviceAddress] = 1;
        }

        if (WithStorage)
        {
            int s = StorageAt;
            image[s] = StorageModel.Id;
            image[s + 1] = StorageModel.Length;
            for (int i = StorageModel.WChaMax; i <= StorageModel.InOutWRteSf; i++)
            {
                image[s + i] = 0x8000;
            }

            image[s + StorageModel.WChaMax] = RatedW;
            image[s + StorageModel.WChaGra] = 100;
            image[s + StorageModel.WDisChaGra] = 100;
            image[s + StorageModel.StorCtlMod] = 0;
            image[s + StorageModel.VAChaMax] = 0xFFFF;
            image[s + StorageModel.MinRsvPct] = 0xFFFF;
            image[s + StorageModel.ChaState] = 0xFFFF;
            image[s + StorageModel.StorAval] = 0xFFFF;
            image[s + StorageModel.InBatV] = 3600;
            image[s + StorageModel.ChaSt] = StorageModel.ChargeStatusHolding;
            image[s + StorageModel.OutWRte] = 0;
            image[s + StorageModel.InWRte] = 0;
            image[s + StorageModel.InOutWRteWinTms] = 0;
            image[s + StorageModel.InOutWRteRvrtTms] = 0;
            image[s + StorageModel.InOutWRteRmpTms] = 0;
            image[s + StorageModel.ChaGriSet] = 1;
            image[s + StorageModel.WChaMaxSf] = RatingScale;
            image[s + StorageModel.InBatVSf] = unchecked((ushort)-1);
            image[s + StorageModel.InOutWRteSf] = RateScale;
        }

        if (WithDc)
        {
            int d = DcAt;
            int port = d + DcMeasurementModel.FirstPort;
            image[d] = DcMeasurementModel.Id;
            image[d + 1] = DcMeasurementModel.FixedLength + DcMeasurementModel.PortLength;
            image[d + DcMeasurementModel.PortCount] = 1;
            image[d + DcMeasurementModel.CurrentSf] = unchecked((ushort)-1);
            image[d + DcMeasurementModel.VoltageSf] = unchecked((ushort)-1);
            image[d + DcMeasurementModel.PowerSf] = PowerScale;
            image[d + DcMeasurementModel.EnergySf] = 0;
            image[d + DcMeasurementModel.EnergyAbsorbed + 3] = 12_345;
            image[port + DcMeasurementModel.PortType] = DcMeasurementModel.PortTypeEv;
            image[port + DcMeasurementModel.PortId] = 1;
            image.PutString(port + DcMeasurementModel.PortIdString, 8, "EV1");
            image[port + DcMeasurementModel.PortVoltage] = 3600;
            image[port + DcMeasurementModel.PortStatus] = DcMeasurementModel.StatusOn;
        }

        image[end] = SunSpecMap.EndId;
        image[end + 1] = 0;
        return image;
    }
}

/// <summary>The ISO 15118 module's map (Drivers/Modem/REGISTERS.md) for a libmodbus slave.</summary>
internal static class ModemImage
{
    /// <summary>A module with no vehicle on the power line.</summary>
    public static RegisterImage Idle(ushort mapId = ModemRegisters.MapIdValue, ushort version = ModemRegisters.MapVersionValue)
    {
        var image = new RegisterImage(0, ModemRegisters.ExtendedIdBlock + ModemRegisters.ExtendedBlockLength);
        image[ModemRegisters.MapId] = mapId;
        image[ModemRegisters.MapVersion] = version;
        image[ModemRegisters.SocPermille] = ModemRegisters.UnknownUInt16;
        image.PutUInt32(ModemRegisters.SocAgeMs, uint.MaxValue);
        image.PutUInt32(ModemRegisters.LimitsAgeMs, uint.MaxValue);
        return image;
    }

    /// <summary>A module matched with a vehicle whose EVCCID is <paramref name="evccId"/> (up to 32 bytes), at <paramref name="socPermille"/>.</summary>
    public static RegisterImage Matched(byte[] evccId, int socPermille, int matchCount = 1)
    {
        RegisterImage image = Idle();
        image[ModemRegisters.Status] = ModemRegisters.StatusLinkUp | ModemRegisters.StatusMatched;
        image[ModemRegisters.SlacState] = ModemRegisters.SlacMatched;
        image[ModemRegisters.MatchCount] = (ushort)matchCount;
        image[ModemRegisters.EvccIdLength] = (ushort)evccId.Length;
        PutBytes(image, ModemRegisters.EvccId, evccId, ModemRegisters.EvccIdRegisters * 2);
        image[ModemRegisters.SocPermille] = (ushort)socPermille;
        image.PutUInt32(ModemRegisters.SocAgeMs, 1000);
        image.PutUInt32(ModemRegisters.CapacityWh, 60_000);
        image.PutUInt32(ModemRegisters.MaxChargeW, 11_000);
        image.PutUInt32(ModemRegisters.MaxDischargeW, 7_000);
        image.PutUInt32(ModemRegisters.LimitsAgeMs, 1000);
        image[ModemRegisters.ExtendedMatchCount] = (ushort)matchCount;
        image[ModemRegisters.ExtendedIdLength] = (ushort)evccId.Length;
        PutBytes(image, ModemRegisters.ExtendedId, evccId, ModemRegisters.EvccIdMaxLength);
        return image;
    }

    private static void PutBytes(RegisterImage image, int address, byte[] bytes, int room)
    {
        for (int i = 0; i < bytes.Length && i < room; i++)
        {
            int at = address + (i / 2);
            image[at] = (ushort)(i % 2 == 0 ? bytes[i] << 8 : image[at] | bytes[i]);
        }
    }
}
