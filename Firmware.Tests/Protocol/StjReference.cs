using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using ChargerFirmware.Protocol.Messages;
using Xunit;

namespace ChargerFirmware.Tests.Protocol;

/// <summary>
/// A second, independent encoding of every message with System.Text.Json (straight from the contract
/// text, not from our writer), and a semantic comparison of JSON documents: the cross-check of our codec.
/// </summary>
public static class StjReference
{
    public static byte[] Encode(Message message, JavaScriptEncoder? encoder = null)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = encoder }))
        {
            w.WriteStartObject();
            w.WriteNumber("v", 1);
            Write(w, message);
            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>The contract's time format: UTC, "Z", milliseconds only when not zero.</summary>
    public static string Time(long unixMs)
    {
        var utc = DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime;
        return utc.ToString(unixMs % 1000 == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }

    public static decimal Milli(long milli) => milli / 1000m;

    /// <summary>
    /// The oracle for strict JSON: System.Text.Json parses it (default options: no comments, no trailing
    /// commas) and every member name and string decodes. STJ checks UTF-8 and surrogates only when a
    /// string is materialised, hence the walk.
    /// </summary>
    public static bool IsStrictJson(byte[] utf8, int maxDepth = 64)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = maxDepth });
            Materialise(document.RootElement);
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Asserts the two documents carry the same data: same members (any order), same strings, numerically equal numbers.</summary>
    public static void AssertEquivalent(JsonElement expected, JsonElement actual, string path = "$")
    {
        Assert.True(expected.ValueKind == actual.ValueKind, $"{path}: {expected.ValueKind} vs {actual.ValueKind}");
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var names = expected.EnumerateObject().Select(p => p.Name).Order().ToList();
                Assert.Equal(names, actual.EnumerateObject().Select(p => p.Name).Order().ToList());
                foreach (var name in names)
                {
                    AssertEquivalent(expected.GetProperty(name), actual.GetProperty(name), path + "." + name);
                }

                break;
            case JsonValueKind.Array:
                Assert.Equal(expected.GetArrayLength(), actual.GetArrayLength());
                for (int i = 0; i < expected.GetArrayLength(); i++)
                {
                    AssertEquivalent(expected[i], actual[i], $"{path}[{i}]");
                }

                break;
            case JsonValueKind.String:
                Assert.True(expected.GetString() == actual.GetString(), $"{path}: {expected.GetString()} vs {actual.GetString()}");
                break;
            case JsonValueKind.Number:
                Assert.True(expected.GetDecimal() == actual.GetDecimal(), $"{path}: {expected} vs {actual}");
                break;
        }
    }

    private static void Materialise(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    _ = property.Name;
                    Materialise(property.Value);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Materialise(item);
                }

                break;
            case JsonValueKind.String:
                _ = element.GetString();
                break;
        }
    }

    private static void Write(Utf8JsonWriter w, Message message)
    {
        switch (message)
        {
            case StatusMessage m:
                w.WriteString("state", ChargerState.Names.Name(m.State));
                w.WriteString("pilot", PilotState.Names.Name(m.Pilot));
                w.WriteString("consent", ConsentState.Names.Name(m.Consent));
                NullableNumber(w, "socPct", m.HasSocPct, m.SocPct);
                NullableNumber(w, "socAgeS", m.HasSocAgeS, m.SocAgeS);
                w.WriteNumber("powerW", m.PowerW);
                w.WriteNumber("setpointW", m.SetpointW);
                w.WriteString("reason", m.Reason);
                w.WriteString("dispatchId", m.DispatchId);
                w.WritePropertyName("conditions");
                Write(w, m.Conditions);
                w.WriteStartArray("faults");
                for (int i = 0; i < m.FaultCount; i++)
                {
                    w.WriteStringValue(m.Faults[i]);
                }

                w.WriteEndArray();
                w.WriteBoolean("clockSynced", m.ClockSynced);
                w.WriteString("at", Time(m.AtMs));
                NullableNumber(w, "capacityWh", m.HasCapacityWh, m.CapacityWh);
                w.WriteNumber("maxChargeW", m.MaxChargeW);
                w.WriteNumber("maxDischargeW", m.MaxDischargeW);
                break;
            case EventMessage m:
                w.WriteString("type", EventType.Names.Name(m.Type));
                w.WriteString("at", Time(m.AtMs));
                w.WriteString("sessionId", m.SessionId);
                if (m.Type == EventType.Plugged && m.VehicleId != null)
                {
                    w.WriteString("vehicleId", m.VehicleId);
                }
                else if (m.Type == EventType.SessionEnded)
                {
                    w.WriteNumber("importWh", m.ImportWh);
                    w.WriteNumber("exportWh", m.ExportWh);
                    w.WriteNumber("purchaseMilli", m.PurchaseMilli);
                    w.WriteNumber("earningsMilli", m.EarningsMilli);
                    w.WriteNumber("netMilli", m.NetMilli);
                    w.WriteString("currency", m.Currency);
                    w.WriteNumber("unpricedImportWh", m.UnpricedImportWh);
                    w.WriteNumber("unpricedExportWh", m.UnpricedExportWh);
                }
                else if (m.Type is EventType.FaultRaised or EventType.FaultCleared)
                {
                    w.WriteString("fault", m.Fault);
                }
                else if (m.Type == EventType.DispatchExpired)
                {
                    w.WriteString("dispatchId", m.DispatchId);
                }
                else if (m.Type == EventType.Storage)
                {
                    w.WriteString("file", m.File);
                    w.WriteString("result", m.Result);
                }

                break;
            case ConsentRequestMessage m:
                w.WriteString("sessionId", m.SessionId);
                w.WriteString("nonce", m.Nonce);
                w.WriteString("vehicleId", m.VehicleId);
                w.WriteNumber("buyPrice", Milli(m.BuyPriceMilli));
                w.WriteNumber("sellPrice", Milli(m.SellPriceMilli));
                w.WriteString("currency", m.Currency);
                w.WriteString("deadline", Time(m.DeadlineMs));
                break;
            case ConsentResponseMessage m:
                w.WriteString("sessionId", m.SessionId);
                w.WriteString("nonce", m.Nonce);
                w.WriteBoolean("allow", m.Allow);
                if (m.HasConditions)
                {
                    w.WritePropertyName("conditions");
                    Write(w, m.Conditions);
                }

                if (Settlement.IsValid(m.Settlement))
                {
                    w.WriteString("settlement", Settlement.Names.Name(m.Settlement));
                }

                if (m.HasRemember)
                {
                    w.WriteBoolean("remember", m.Remember);
                }

                break;
            case DispatchMessage m:
                w.WriteString("id", m.Id);
                w.WriteNumber("seq", m.Seq);
                w.WriteString("issuedAt", Time(m.IssuedAtMs));
                if (m.HasStartAt)
                {
                    w.WriteString("startAt", Time(m.StartAtMs));
                }

                w.WriteNumber("durationS", m.DurationS);
                w.WriteNumber("setpointW", m.SetpointW);
                if (m.HasRampWps)
                {
                    w.WriteNumber("rampWps", m.RampWps);
                }

                if (m.HasBuyPrice)
                {
                    w.WriteNumber("buyPrice", Milli(m.BuyPriceMilli));
                }

                if (m.HasSellPrice)
                {
                    w.WriteNumber("sellPrice", Milli(m.SellPriceMilli));
                }

                if (m.Currency != null)
                {
                    w.WriteString("currency", m.Currency);
                }

                if (m.ChargerId != null)
                {
                    w.WriteString("chargerId", m.ChargerId);
                }

                break;
            case DispatchCancelMessage m:
                w.WriteString("id", m.Id);
                break;
            case DispatchAckMessage m:
                w.WriteString("id", m.Id);
                w.WriteString("status", DispatchStatus.Names.Name(m.Status));
                w.WriteString("reason", m.Reason);
                w.WriteNumber("appliedW", m.AppliedW);
                w.WriteString("at", Time(m.AtMs));
                break;
            case PricesMessage m:
                w.WriteString("validFrom", Time(m.ValidFromMs));
                w.WriteString("validTo", Time(m.ValidToMs));
                w.WriteNumber("buyPrice", Milli(m.BuyPriceMilli));
                w.WriteNumber("sellPrice", Milli(m.SellPriceMilli));
                w.WriteString("currency", m.Currency);
                break;
            case TelemetryMessage m:
                w.WriteString("at", Time(m.AtMs));
                w.WriteNumber("powerW", m.PowerW);
                w.WriteNumber("voltageV", Milli(m.VoltageMilliV));
                w.WriteNumber("currentA", Milli(m.CurrentMilliA));
                w.WriteNumber("importWh", m.ImportWh);
                w.WriteNumber("exportWh", m.ExportWh);
                NullableNumber(w, "socPct", m.HasSocPct, m.SocPct);
                w.WriteNumber("temperatureC", m.TemperatureDeciC / 10m);
                NullableNumber(w, "socAgeS", m.HasSocAgeS, m.SocAgeS);
                break;
            case LedgerMessage m:
                w.WriteNumber("id", m.Id);
                w.WriteString("sessionId", m.SessionId);
                w.WriteString("vehicleId", m.VehicleId);
                w.WriteString("start", Time(m.StartMs));
                w.WriteString("end", Time(m.EndMs));
                w.WriteString("kind", LedgerKind.Names.Name(m.EntryKind));
                w.WriteNumber("wh", m.Wh);
                if (m.PriceReason == PriceReason.None)
                {
                    w.WriteNumber("price", Milli(m.PriceMilli));
                }
                else
                {
                    w.WriteNull("price");
                }

                w.WriteString("currency", m.Currency);
                if (m.PriceReason == PriceReason.None)
                {
                    w.WriteNumber("amountMilli", m.AmountMilli);
                }
                else
                {
                    w.WriteNull("amountMilli");
                }

                w.WriteString("dispatchId", m.DispatchId);
                w.WriteString("settlement", Settlement.Names.Name(m.Settlement));
                w.WriteString("priceReason", PriceReason.Names.Name(m.PriceReason));
                break;
            case LedgerAckMessage m:
                w.WriteNumber("upTo", m.UpTo);
                break;
            default:
                throw new ArgumentException("unknown message " + message.GetType().Name);
        }
    }

    private static void Write(Utf8JsonWriter w, ChargerFirmware.Protocol.Messages.Conditions c)
    {
        w.WriteStartObject();
        if (c.Preset != null)
        {
            w.WriteString("preset", c.Preset);
        }

        if (c.HasMinSellPrice)
        {
            w.WriteNumber("minSellPrice", Milli(c.MinSellPriceMilli));
        }

        if (c.HasMaxBuyPrice)
        {
            w.WriteNumber("maxBuyPrice", Milli(c.MaxBuyPriceMilli));
        }

        if (c.HasKeptSocPct)
        {
            w.WriteNumber("keptSocPct", c.KeptSocPct);
        }

        if (c.HasDelegated)
        {
            w.WriteBoolean("delegated", c.Delegated);
        }

        if (c.HasInWindow)
        {
            w.WriteBoolean("inWindow", c.InWindow);
        }

        if (c.HasWindows)
        {
            w.WriteStartArray("windows");
            for (int i = 0; i < c.WindowCount; i++)
            {
                w.WriteStartObject();
                w.WriteStartArray("days");
                for (int d = 1; d <= 7; d++)
                {
                    if ((c.WindowDays[i] & (1 << (d % 7))) != 0)
                    {
                        w.WriteStringValue(ChargerFirmware.Protocol.Messages.Conditions.DayNames[d % 7]);
                    }
                }

                w.WriteEndArray();
                w.WriteString("from", $"{c.WindowFromMinute[i] / 60:D2}:{c.WindowFromMinute[i] % 60:D2}");
                w.WriteString("to", $"{c.WindowToMinute[i] / 60:D2}:{c.WindowToMinute[i] % 60:D2}");
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    private static void NullableNumber(Utf8JsonWriter w, string name, bool present, long value)
    {
        if (present)
        {
            w.WriteNumber(name, value);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
