using ChargerFirmware.Protocol.Json;

namespace ChargerFirmware.Protocol.Messages
{
    /// <summary>
    /// events (charger to aggregator, QoS 1): something happened. Which fields beyond type, at and
    /// sessionId are written and required depends on <see cref="Type"/>: plugged may carry vehicleId;
    /// session-ended carries importWh, exportWh and the money as integer milli-currency
    /// (purchaseMilli, earningsMilli, netMilli = earnings - purchase) with its currency, and the Wh of
    /// unpriced entries (unpricedImportWh, unpricedExportWh: in no amount); fault-raised and
    /// fault-cleared carry fault; dispatch-expired carries dispatchId; storage carries file and result.
    /// </summary>
    public sealed class EventMessage : Message
    {
        private const int FieldType = 1;
        private const int FieldAt = 2;
        private const int FieldSessionId = 3;
        private const int FieldVehicleId = 4;
        private const int FieldImportWh = 5;
        private const int FieldExportWh = 6;
        private const int FieldPurchase = 7;
        private const int FieldEarnings = 8;
        private const int FieldNet = 9;
        private const int FieldCurrency = 10;
        private const int FieldFault = 11;
        private const int FieldDispatchId = 12;
        private const int FieldFile = 13;
        private const int FieldResult = 14;
        private const int FieldUnpricedImport = 15;
        private const int FieldUnpricedExport = 16;

        private const long SessionEndedFields = (1L << FieldImportWh) | (1L << FieldExportWh) | (1L << FieldPurchase)
            | (1L << FieldEarnings) | (1L << FieldNet) | (1L << FieldCurrency);

        private static readonly FieldTable Table = new FieldTable(
            "",
            new string[] { "v", "type", "at", "sessionId", "vehicleId", "importWh", "exportWh", "purchaseMilli", "earningsMilli", "netMilli", "currency", "fault", "dispatchId", "file", "result", "unpricedImportWh", "unpricedExportWh" },
            (1L << 0) | (1L << FieldType) | (1L << FieldAt) | (1L << FieldSessionId));

        /// <summary>"type": an <see cref="EventType"/> constant.</summary>
        public int Type;

        /// <summary>"at": when it happened, Unix ms.</summary>
        public long AtMs;

        /// <summary>"sessionId": the plug-in session, or null outside one (e.g. a fault with no vehicle).</summary>
        public string? SessionId;

        /// <summary>"vehicleId" (plugged): the vehicle when known, else null (not written).</summary>
        public string? VehicleId;

        /// <summary>"importWh" (session-ended): energy into the vehicle over the session.</summary>
        public long ImportWh;

        /// <summary>"exportWh" (session-ended): energy out of the vehicle over the session.</summary>
        public long ExportWh;

        /// <summary>"unpricedImportWh" (session-ended): the part of <see cref="ImportWh"/> whose price was unknown (in no amount).</summary>
        public long UnpricedImportWh;

        /// <summary>"unpricedExportWh" (session-ended): the part of <see cref="ExportWh"/> whose price was unknown (in no amount).</summary>
        public long UnpricedExportWh;

        /// <summary>"purchaseMilli" (session-ended): what the driver pays, milli-currency.</summary>
        public long PurchaseMilli;

        /// <summary>"earningsMilli" (session-ended): what the driver earns, milli-currency.</summary>
        public long EarningsMilli;

        /// <summary>"netMilli" (session-ended): earnings minus purchase, milli-currency.</summary>
        public long NetMilli;

        /// <summary>"currency" (session-ended): ISO 4217 code of the amounts.</summary>
        public string? Currency;

        /// <summary>"fault" (fault-raised, fault-cleared): the fault's name.</summary>
        public string? Fault;

        /// <summary>"dispatchId" (dispatch-expired): the dispatch that expired.</summary>
        public string? DispatchId;

        /// <summary>"file" (storage): which stored file ("config", "dispatch-seq", "ledger", "pin", …).</summary>
        public string? File;

        /// <summary>"result" (storage): what loading it found ("missing", "corrupt", "repaired", "lost", …) or "write-failed" / "write-recovered".</summary>
        public string? Result;

        /// <inheritdoc/>
        public override int Kind
        {
            get { return MessageKind.Event; }
        }

        internal override FieldTable Fields
        {
            get { return Table; }
        }

        /// <inheritdoc/>
        public override void Clear()
        {
            Type = 0;
            AtMs = 0;
            SessionId = null;
            VehicleId = null;
            ImportWh = 0;
            ExportWh = 0;
            UnpricedImportWh = 0;
            UnpricedExportWh = 0;
            PurchaseMilli = 0;
            EarningsMilli = 0;
            NetMilli = 0;
            Currency = null;
            Fault = null;
            DispatchId = null;
            File = null;
            Result = null;
        }

        internal override void WriteFields(JsonWriter writer)
        {
            writer.WriteString(Table.Keys[FieldType], EventType.Names.Name(Type));
            writer.WriteTime(Table.Keys[FieldAt], AtMs);
            writer.WriteString(Table.Keys[FieldSessionId], SessionId);
            switch (Type)
            {
                case EventType.Plugged:
                    if (VehicleId != null)
                    {
                        writer.WriteString(Table.Keys[FieldVehicleId], VehicleId);
                    }

                    break;
                case EventType.SessionEnded:
                    writer.WriteInteger(Table.Keys[FieldImportWh], ImportWh);
                    writer.WriteInteger(Table.Keys[FieldExportWh], ExportWh);
                    writer.WriteInteger(Table.Keys[FieldPurchase], PurchaseMilli);
                    writer.WriteInteger(Table.Keys[FieldEarnings], EarningsMilli);
                    writer.WriteInteger(Table.Keys[FieldNet], NetMilli);
                    writer.WriteString(Table.Keys[FieldCurrency], Currency);
                    writer.WriteInteger(Table.Keys[FieldUnpricedImport], UnpricedImportWh);
                    writer.WriteInteger(Table.Keys[FieldUnpricedExport], UnpricedExportWh);
                    break;
                case EventType.FaultRaised:
                case EventType.FaultCleared:
                    writer.WriteString(Table.Keys[FieldFault], Fault);
                    break;
                case EventType.DispatchExpired:
                    writer.WriteString(Table.Keys[FieldDispatchId], DispatchId);
                    break;
                case EventType.Storage:
                    writer.WriteString(Table.Keys[FieldFile], File);
                    writer.WriteString(Table.Keys[FieldResult], Result);
                    break;
            }
        }

        internal override string? ReadField(JsonReader reader, int field)
        {
            switch (field)
            {
                case FieldType:
                    return Refuse(FieldRead.Name(reader, EventType.Names, out Type), field);
                case FieldAt:
                    return Refuse(reader.TryGetTime(out AtMs), field);
                case FieldSessionId:
                    return Refuse(FieldRead.NullableToken(reader, out SessionId), field);
                case FieldVehicleId:
                    return Refuse(FieldRead.NullableToken(reader, out VehicleId), field);
                case FieldImportWh:
                    return Refuse(FieldRead.Counter(reader, out ImportWh), field);
                case FieldExportWh:
                    return Refuse(FieldRead.Counter(reader, out ExportWh), field);
                case FieldPurchase:
                    return Refuse(FieldRead.Counter(reader, out PurchaseMilli), field);
                case FieldEarnings:
                    return Refuse(FieldRead.Counter(reader, out EarningsMilli), field);
                case FieldNet:
                    return Refuse(reader.TryGetInteger(-Limits.MaxCounter, Limits.MaxCounter, out NetMilli), field);
                case FieldCurrency:
                    return Refuse(FieldRead.Currency(reader, out Currency), field);
                case FieldFault:
                    return Refuse(FieldRead.Token(reader, out Fault), field);
                case FieldFile:
                    return Refuse(FieldRead.Token(reader, out File), field);
                case FieldResult:
                    return Refuse(FieldRead.Token(reader, out Result), field);
                case FieldUnpricedImport:
                    return Refuse(FieldRead.Counter(reader, out UnpricedImportWh), field);
                case FieldUnpricedExport:
                    return Refuse(FieldRead.Counter(reader, out UnpricedExportWh), field);
                default:
                    return Refuse(FieldRead.Token(reader, out DispatchId), field);
            }
        }

        internal override string? Check(long seen)
        {
            switch (Type)
            {
                case EventType.SessionEnded:
                    string? missing = Table.FirstMissing(SessionEndedFields, seen);
                    if (missing != null)
                    {
                        return missing;
                    }

                    if (UnpricedImportWh > ImportWh)
                    {
                        return Table.OutOfRange[FieldUnpricedImport];
                    }

                    if (UnpricedExportWh > ExportWh)
                    {
                        return Table.OutOfRange[FieldUnpricedExport];
                    }

                    return NetMilli == EarningsMilli - PurchaseMilli ? null : Table.OutOfRange[FieldNet];
                case EventType.FaultRaised:
                case EventType.FaultCleared:
                    return Table.FirstMissing(1L << FieldFault, seen);
                case EventType.DispatchExpired:
                    return Table.FirstMissing(1L << FieldDispatchId, seen);
                case EventType.Storage:
                    return Table.FirstMissing((1L << FieldFile) | (1L << FieldResult), seen);
                default:
                    return null;
            }
        }
    }
}
