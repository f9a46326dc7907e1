using ChargerFirmware.Aggregator.Storage;
using ChargerFirmware.Protocol.Messages;

namespace ChargerFirmware.Aggregator.Dispatch;

/// <summary>
/// The standing prices every charger shows the driver and records own charging at: the latest the
/// operator set, else the settings' defaults. They go out retained on each charger's prices topic,
/// valid for two days and renewed every twelve hours (and at once when the operator changes them or
/// a charger comes online for the first time).
/// </summary>
public static class Tariff
{
    /// <summary>How long a published price stays valid, ms.</summary>
    public const long ValidityMs = 48 * 3_600_000L;

    /// <summary>Prices are published again when the last publication is older than this, ms.</summary>
    public const long RenewMs = 12 * 3_600_000L;

    /// <summary>The standing prices now: buy, sell (milli-currency per kWh) and when they were set (0: defaults).</summary>
    public static (long BuyMilli, long SellMilli, long SetAt) Current(Database db, ServerSettings settings) => db.Read(tx => Current(tx, settings));

    /// <summary>The standing prices in a transaction.</summary>
    public static (long BuyMilli, long SellMilli, long SetAt) Current(Tx tx, ServerSettings settings) =>
        tx.First("SELECT buy_milli, sell_milli, created_at FROM tariffs ORDER BY id DESC LIMIT 1", r => ((long BuyMilli, long SellMilli, long SetAt)?)(r.Long("buy_milli"), r.Long("sell_milli"), r.Long("created_at")))
        ?? (settings.DefaultBuyMilli, settings.DefaultSellMilli, 0);

    /// <summary>Sets new standing prices (the caller publishes them).</summary>
    public static void Set(Database db, ServerSettings settings, long buyMilli, long sellMilli, long nowMs)
    {
        if (buyMilli is < 0 or > 1_000_000_000 || sellMilli is < 0 or > 1_000_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(buyMilli), "prices are 0..1000000 per kWh");
        }

        db.Write(tx => tx.Execute("INSERT INTO tariffs (valid_from, buy_milli, sell_milli, currency, created_at) VALUES (@t, @b, @s, @c, @t)",
            ("@t", nowMs), ("@b", buyMilli), ("@s", sellMilli), ("@c", settings.Currency)));
    }

    /// <summary>The retained prices message for now.</summary>
    public static PricesMessage Message(long buyMilli, long sellMilli, string currency, long nowMs) => new()
    {
        ValidFromMs = nowMs - 3_600_000,
        ValidToMs = nowMs + ValidityMs,
        BuyPriceMilli = buyMilli,
        SellPriceMilli = sellMilli,
        Currency = currency,
    };
}
