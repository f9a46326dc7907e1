namespace ChargerFirmware.Drivers.SunSpec
{
    /// <summary>
    /// The SunSpec map frame: the "SunS" marker at one of the well-known base addresses, then
    /// models, each a header (ID, L = registers after the header) followed by its points, ending
    /// with ID 0xFFFF. Point offsets in the model classes count from the model's ID register, as
    /// the SunSpec model definitions (sunspec/models json/model_N.json) list them.
    /// </summary>
    public static class SunSpecMap
    {
        /// <summary>"Su", the first marker register.</summary>
        public const int MarkerHigh = 0x5375;

        /// <summary>"nS", the second marker register.</summary>
        public const int MarkerLow = 0x6E53;

        /// <summary>Registers of the marker.</summary>
        public const int MarkerLength = 2;

        /// <summary>Registers of a model header (ID and L).</summary>
        public const int HeaderLength = 2;

        /// <summary>The ID of the end marker.</summary>
        public const int EndId = 0xFFFF;

        /// <summary>Base addresses in the order they are probed.</summary>
        public static readonly int[] BaseAddresses = new int[] { 40000, 0, 50000 };
    }

    /// <summary>Model 1, common: who made the device.</summary>
    public static class CommonModel
    {
        /// <summary>Model ID.</summary>
        public const int Id = 1;

        /// <summary>L in the current definition (65 points plus a pad).</summary>
        public const int Length = 66;

        /// <summary>Mn, manufacturer, string of 16 registers.</summary>
        public const int Manufacturer = 2;

        /// <summary>Md, model, string of 16 registers.</summary>
        public const int Model = 18;

        /// <summary>Opt, options, string of 8 registers.</summary>
        public const int Options = 34;

        /// <summary>Vr, version, string of 8 registers.</summary>
        public const int Version = 42;

        /// <summary>SN, serial number, string of 16 registers.</summary>
        public const int SerialNumber = 50;

        /// <summary>DA, Modbus device address.</summary>
        public const int DeviceAddress = 66;

        /// <summary>Registers of Mn, Md and SN.</summary>
        public const int LongStringRegisters = 16;

        /// <summary>Registers of Opt and Vr.</summary>
        public const int ShortStringRegisters = 8;
    }

    /// <summary>
    /// Model 124, basic storage controls. The converter regulates its car-side port within the
    /// window these points open: with StorCtl_Mod bit 0 the charge rate is limited to InWRte % of
    /// WChaMax, with bit 1 the discharge rate to OutWRte % (signed: a negative limit forces the
    /// opposite direction). Rates revert after InOutWRte_RvrtTms seconds without a refresh.
    /// </summary>
    public static class StorageModel
    {
        /// <summary>Model ID.</summary>
        public const int Id = 124;

        /// <summary>L.</summary>
        public const int Length = 24;

        /// <summary>WChaMax, uint16 W, scale WChaMax_SF: maximum charge (and, here, discharge) power.</summary>
        public const int WChaMax = 2;

        /// <summary>WChaGra, uint16 % WChaMax/s.</summary>
        public const int WChaGra = 3;

        /// <summary>WDisChaGra, uint16 % WChaMax/s.</summary>
        public const int WDisChaGra = 4;

        /// <summary>StorCtl_Mod, bitfield16: bit 0 charge limit active, bit 1 discharge limit active.</summary>
        public const int StorCtlMod = 5;

        /// <summary>VAChaMax, uint16 VA.</summary>
        public const int VAChaMax = 6;

        /// <summary>MinRsvPct, uint16 % of capacity.</summary>
        public const int MinRsvPct = 7;

        /// <summary>ChaState, uint16 % of capacity, scale ChaState_SF.</summary>
        public const int ChaState = 8;

        /// <summary>StorAval, uint16 Ah.</summary>
        public const int StorAval = 9;

        /// <summary>InBatV, uint16 V, scale InBatV_SF.</summary>
        public const int InBatV = 10;

        /// <summary>ChaSt, enum16, see the ChargeStatus constants.</summary>
        public const int ChaSt = 11;

        /// <summary>OutWRte, int16 % of the maximum discharge rate, scale InOutWRte_SF.</summary>
        public const int OutWRte = 12;

        /// <summary>InWRte, int16 % of WChaMax, scale InOutWRte_SF.</summary>
        public const int InWRte = 13;

        /// <summary>InOutWRte_WinTms, uint16 s: window for a rate change.</summary>
        public const int InOutWRteWinTms = 14;

        /// <summary>InOutWRte_RvrtTms, uint16 s: the rates revert after this long without a refresh.</summary>
        public const int InOutWRteRvrtTms = 15;

        /// <summary>InOutWRte_RmpTms, uint16 s: ramp time to a new rate.</summary>
        public const int InOutWRteRmpTms = 16;

        /// <summary>ChaGriSet, enum16: 0 PV, 1 grid.</summary>
        public const int ChaGriSet = 17;

        /// <summary>WChaMax_SF.</summary>
        public const int WChaMaxSf = 18;

        /// <summary>WChaDisChaGra_SF.</summary>
        public const int WChaDisChaGraSf = 19;

        /// <summary>VAChaMax_SF.</summary>
        public const int VAChaMaxSf = 20;

        /// <summary>MinRsvPct_SF.</summary>
        public const int MinRsvPctSf = 21;

        /// <summary>ChaState_SF.</summary>
        public const int ChaStateSf = 22;

        /// <summary>StorAval_SF.</summary>
        public const int StorAvalSf = 23;

        /// <summary>InBatV_SF.</summary>
        public const int InBatVSf = 24;

        /// <summary>InOutWRte_SF.</summary>
        public const int InOutWRteSf = 25;

        /// <summary>StorCtl_Mod bit 0: charge limit (InWRte) active.</summary>
        public const int ModeCharge = 1;

        /// <summary>StorCtl_Mod bit 1: discharge limit (OutWRte) active.</summary>
        public const int ModeDischarge = 2;

        /// <summary>ChaSt OFF.</summary>
        public const int ChargeStatusOff = 1;

        /// <summary>ChaSt EMPTY.</summary>
        public const int ChargeStatusEmpty = 2;

        /// <summary>ChaSt DISCHARGING.</summary>
        public const int ChargeStatusDischarging = 3;

        /// <summary>ChaSt CHARGING.</summary>
        public const int ChargeStatusCharging = 4;

        /// <summary>ChaSt FULL.</summary>
        public const int ChargeStatusFull = 5;

        /// <summary>ChaSt HOLDING.</summary>
        public const int ChargeStatusHolding = 6;
    }

    /// <summary>
    /// Model 714, DER DC measurement: totals over all DC ports, then one 25-register group per
    /// port. Power and current are positive when the port injects into the converter (the car
    /// discharges); DCWhInj counts energy taken out of the car, DCWhAbs energy put into it.
    /// </summary>
    public static class DcMeasurementModel
    {
        /// <summary>Model ID.</summary>
        public const int Id = 714;

        /// <summary>L without port groups.</summary>
        public const int FixedLength = 18;

        /// <summary>Registers of one port group.</summary>
        public const int PortLength = 25;

        /// <summary>PrtAlrms, bitfield32: bit n set when port n has an alarm.</summary>
        public const int PortAlarms = 2;

        /// <summary>NPrt, uint16.</summary>
        public const int PortCount = 4;

        /// <summary>DCA, int16 A, total current, scale DCA_SF.</summary>
        public const int Current = 5;

        /// <summary>DCW, int16 W, total power, scale DCW_SF.</summary>
        public const int Power = 6;

        /// <summary>DCWhInj, uint64 Wh, scale DCWH_SF.</summary>
        public const int EnergyInjected = 7;

        /// <summary>DCWhAbs, uint64 Wh, scale DCWH_SF.</summary>
        public const int EnergyAbsorbed = 11;

        /// <summary>DCA_SF.</summary>
        public const int CurrentSf = 15;

        /// <summary>DCV_SF.</summary>
        public const int VoltageSf = 16;

        /// <summary>DCW_SF.</summary>
        public const int PowerSf = 17;

        /// <summary>DCWH_SF.</summary>
        public const int EnergySf = 18;

        /// <summary>Tmp_SF.</summary>
        public const int TemperatureSf = 19;

        /// <summary>First register of the first port group.</summary>
        public const int FirstPort = 20;

        /// <summary>Port PrtTyp, enum16 (offset in the port group).</summary>
        public const int PortType = 0;

        /// <summary>Port ID, uint16 (offset in the port group).</summary>
        public const int PortId = 1;

        /// <summary>Port IDStr, string of 8 registers (offset in the port group).</summary>
        public const int PortIdString = 2;

        /// <summary>Port DCA, int16 A, scale DCA_SF (offset in the port group).</summary>
        public const int PortCurrent = 10;

        /// <summary>Port DCV, uint16 V, scale DCV_SF (offset in the port group).</summary>
        public const int PortVoltage = 11;

        /// <summary>Port DCW, int16 W (offset in the port group).</summary>
        public const int PortPower = 12;

        /// <summary>Port DCWhInj, uint64 Wh (offset in the port group).</summary>
        public const int PortEnergyInjected = 13;

        /// <summary>Port DCWhAbs, uint64 Wh (offset in the port group).</summary>
        public const int PortEnergyAbsorbed = 17;

        /// <summary>Port Tmp, int16 C, scale Tmp_SF (offset in the port group).</summary>
        public const int PortTemperature = 21;

        /// <summary>Port DCSta, enum16 (offset in the port group).</summary>
        public const int PortStatus = 22;

        /// <summary>Port DCAlrm, bitfield32 (offset in the port group).</summary>
        public const int PortAlarm = 23;

        /// <summary>PrtTyp EV.</summary>
        public const int PortTypeEv = 2;

        /// <summary>DCSta OFF.</summary>
        public const int StatusOff = 0;

        /// <summary>DCSta ON.</summary>
        public const int StatusOn = 1;

        /// <summary>DCSta WARNING.</summary>
        public const int StatusWarning = 2;

        /// <summary>DCSta ERROR.</summary>
        public const int StatusError = 3;

        /// <summary>DCAlrm bit GROUND_FAULT.</summary>
        public const int AlarmGroundFault = 1 << 0;

        /// <summary>DCAlrm bit INPUT_OVER_VOLTAGE.</summary>
        public const int AlarmOverVoltage = 1 << 1;

        /// <summary>DCAlrm bit OVER_TEMP.</summary>
        public const int AlarmOverTemperature = 1 << 7;

        /// <summary>DCAlrm bit TEST_FAILED.</summary>
        public const int AlarmTestFailed = 1 << 20;

        /// <summary>DCAlrm bit INPUT_UNDER_VOLTAGE.</summary>
        public const int AlarmUnderVoltage = 1 << 21;

        /// <summary>DCAlrm bit INPUT_OVER_CURRENT.</summary>
        public const int AlarmOverCurrent = 1 << 22;

        /// <summary>Registers read each cycle: header, totals and the first port.</summary>
        public const int ReadLength = SunSpecMap.HeaderLength + FixedLength + PortLength;
    }
}
