using ChargerFirmware.Protocol.Json;

namespace ChargerFirmware.Protocol.Messages
{
    /// <summary>
    /// telemetry (charger to aggregator, QoS 0): periodic readings. Internally integer units (mV, mA,
    /// deci-Celsius); on the wire decimals in V, A and °C.
    /// </summary>
    public sealed class TelemetryMessage : Message
    {
        private const int FieldAt = 1;
        private const int FieldPowerW = 2;
        private const int FieldVoltage = 3;
        private const int FieldCurrent = 4;
        private const int FieldImportWh = 5;
        private const int FieldExportWh = 6;
        private const int FieldSocPct = 7;
        private const int FieldTemperature = 8;
        private const int FieldSocAgeS = 9;

        // socAgeS came later in version 1: optional when reading.
        private static readonly FieldTable Table = new FieldTable(
            "",
            new string[] { "v", "at", "powerW", "voltageV", "currentA", "importWh", "exportWh", "socPct", "temperatureC", "socAgeS" },
            (1L << 9) - 1);

        /// <summary>"at": when measured, Unix ms.</summary>
        public long AtMs;

        /// <summary>"powerW": power, W, positive into the car.</summary>
        public int PowerW;

        /// <summary>"voltageV": supply voltage in mV (0..1,000,000), written in V with up to three decimals.</summary>
        public int VoltageMilliV;

        /// <summary>"currentA": current in mA (±1,000,000, negative while discharging), written in A.</summary>
        public int CurrentMilliA;

        /// <summary>"importWh": energy into the vehicle this session, Wh.</summary>
        public long ImportWh;

        /// <summary>"exportWh": energy out of the vehicle this session, Wh.</summary>
        public long ExportWh;

        /// <summary>False when the state of charge is unknown (written as null).</summary>
        public bool HasSocPct;

        /// <summary>"socPct": the vehicle's state of charge, 0..100 %.</summary>
        public int SocPct;

        /// <summary>"temperatureC": charger temperature in deci-Celsius (-1000..2000), written in °C with one decimal.</summary>
        public int TemperatureDeciC;

        /// <summary>False when the age of the state of charge is unknown (written as null).</summary>
        public bool HasSocAgeS;

        /// <summary>"socAgeS": seconds since the state of charge was read, 0..2^31-1.</summary>
        public int SocAgeS;

        /// <inheritdoc/>
        public override int Kind
        {
            get { return MessageKind.Telemetry; }
        }

        internal override FieldTable Fields
        {
            get { return Table; }
        }

        /// <inheritdoc/>
        public override void Clear()
        {
            AtMs = 0;
            PowerW = 0;
            VoltageMilliV = 0;
            CurrentMilliA = 0;
            ImportWh = 0;
            ExportWh = 0;
            HasSocPct = false;
            SocPct = 0;
            TemperatureDeciC = 0;
            HasSocAgeS = false;
            SocAgeS = 0;
        }

        internal override void WriteFields(JsonWriter writer)
        {
            writer.WriteTime(Table.Keys[FieldAt], AtMs);
            writer.WriteInteger(Table.Keys[FieldPowerW], PowerW);
            writer.WriteMilli(Table.Keys[FieldVoltage], VoltageMilliV);
            writer.WriteMilli(Table.Keys[FieldCurrent], CurrentMilliA);
            writer.WriteInteger(Table.Keys[FieldImportWh], ImportWh);
            writer.WriteInteger(Table.Keys[FieldExportWh], ExportWh);
            writer.WriteInteger(Table.Keys[FieldSocPct], HasSocPct, SocPct);
            writer.WriteDecimal(Table.Keys[FieldTemperature], TemperatureDeciC, 1);
            writer.WriteInteger(Table.Keys[FieldSocAgeS], HasSocAgeS, SocAgeS);
        }

        internal override string? ReadField(JsonReader reader, int field)
        {
            bool accepted;
            long value;
            switch (field)
            {
                case FieldAt:
                    return Refuse(reader.TryGetTime(out AtMs), field);
                case FieldPowerW:
                    return Refuse(FieldRead.Power(reader, out PowerW), field);
                case FieldVoltage:
                    accepted = reader.TryGetMilli(0, Limits.MaxVoltageMilliV, out value);
                    VoltageMilliV = (int)value;
                    return Refuse(accepted, field);
                case FieldCurrent:
                    accepted = reader.TryGetMilli(-Limits.MaxCurrentMilliA, Limits.MaxCurrentMilliA, out value);
                    CurrentMilliA = (int)value;
                    return Refuse(accepted, field);
                case FieldImportWh:
                    return Refuse(FieldRead.Counter(reader, out ImportWh), field);
                case FieldExportWh:
                    return Refuse(FieldRead.Counter(reader, out ExportWh), field);
                case FieldSocPct:
                    return Refuse(FieldRead.IsNull(reader) || (HasSocPct = FieldRead.Percent(reader, out SocPct)), field);
                case FieldSocAgeS:
                    return Refuse(FieldRead.IsNull(reader) || (HasSocAgeS = reader.TryGetInteger(0, int.MaxValue, out SocAgeS)), field);
                default:
                    accepted = reader.TryGetDecimal(1, Limits.MinTemperatureDeciC, Limits.MaxTemperatureDeciC, out value);
                    TemperatureDeciC = (int)value;
                    return Refuse(accepted, field);
            }
        }
    }
}
