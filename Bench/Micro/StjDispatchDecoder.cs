using System.Text.Json;
using ChargerFirmware.Protocol.Messages;

namespace ChargerFirmware.Bench.Micro;

/// <summary>
/// The STJ side of the decode benchmark: deserialise the POCO, then apply the contract's checks and
/// convert to the firmware's units into a <see cref="DispatchMessage"/>, so both sides end with the
/// same validated message. Returns null on any refusal.
/// </summary>
public static class StjDispatchDecoder
{
    public static DispatchMessage? Decode(byte[] utf8, string chargerId)
    {
        StjDispatch? d;
        try
        {
            d = JsonSerializer.Deserialize(utf8, StjContext.Default.StjDispatch);
        }
        catch (JsonException)
        {
            return null;
        }

        if (d is null || d.V != 1 || !IsToken(d.Id) || d.Seq is not >= 1 || d.IssuedAt is null
            || d.DurationS is not (>= 1 and <= Limits.MaxDurationS)
            || d.SetpointW is not (>= -Limits.MaxPowerW and <= Limits.MaxPowerW)
            || d.RampWps is < 1 or > Limits.MaxRampWps
            || !TryMilli(d.BuyPrice, out long buy) || !TryMilli(d.SellPrice, out long sell)
            || (d.Currency is not null && !IsCurrency(d.Currency))
            || ((d.BuyPrice is not null || d.SellPrice is not null) && d.Currency is null)
            || (d.ChargerId is not null && (!IsToken(d.ChargerId) || d.ChargerId != chargerId)))
        {
            return null;
        }

        return new DispatchMessage
        {
            Id = d.Id,
            Seq = d.Seq.Value,
            IssuedAtMs = UnixMs(d.IssuedAt.Value),
            HasStartAt = d.StartAt is not null,
            StartAtMs = d.StartAt is null ? 0 : UnixMs(d.StartAt.Value),
            DurationS = d.DurationS.Value,
            SetpointW = d.SetpointW.Value,
            HasRampWps = d.RampWps is not null,
            RampWps = d.RampWps ?? 0,
            HasBuyPrice = d.BuyPrice is not null,
            BuyPriceMilli = buy,
            HasSellPrice = d.SellPrice is not null,
            SellPriceMilli = sell,
            Currency = d.Currency,
            ChargerId = d.ChargerId,
        };
    }

    private static long UnixMs(DateTime time) => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)).ToUnixTimeMilliseconds();

    private static bool TryMilli(decimal? price, out long milli)
    {
        milli = 0;
        if (price is null)
        {
            return true;
        }

        decimal scaled = price.Value * 1000m;
        if (scaled != decimal.Truncate(scaled) || scaled < 0 || scaled > Limits.MaxPriceMilli)
        {
            return false;
        }

        milli = (long)scaled;
        return true;
    }

    private static bool IsToken(string? s)
    {
        if (s is null || s.Length is 0 or > Limits.MaxTokenLength)
        {
            return false;
        }

        foreach (char c in s)
        {
            if (c is <= ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsCurrency(string s) => s.Length == 3 && char.IsAsciiLetterUpper(s[0]) && char.IsAsciiLetterUpper(s[1]) && char.IsAsciiLetterUpper(s[2]);
}
