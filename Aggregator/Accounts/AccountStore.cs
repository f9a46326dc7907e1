using System.Security.Cryptography;
using ChargerFirmware.Aggregator.Ingest;
using ChargerFirmware.Aggregator.Storage;

namespace ChargerFirmware.Aggregator.Accounts;

/// <summary>A driver's conditions for lending the car: a charger preset by name, or explicit values (the contract allows one or the other).</summary>
public sealed record DriverConditions(string? Preset, long? MinSellMilli, long? MaxBuyMilli, int? KeptSocPct, bool Delegated)
{
    /// <summary>What a new account starts with: the chargers' default preset.</summary>
    public static readonly DriverConditions Default = new("balanced", null, null, null, false);
}

/// <summary>A weekly window in which the aggregator may use the car: days (bit 0 Monday … bit 6 Sunday) and local minutes of the day [start, end); end below start runs past midnight.</summary>
public sealed record DriverWindow(int DaysMask, int StartMin, int EndMin);

/// <summary>A user's account as the phone shows it.</summary>
public sealed record Account(long Id, string Name, string Settlement, DriverConditions Conditions, IReadOnlyList<DriverWindow> Windows);

/// <summary>A registered vehicle.</summary>
public sealed record Vehicle(long Id, long UserId, string Label, string? EvccId, string? Registration, long? CapacityWh);

/// <summary>Why an account change was refused (the phone shows the message).</summary>
public sealed class AccountException(string message) : Exception(message);

/// <summary>
/// Users, their phones, their vehicles, their conditions, windows and settlement choice, and the
/// chargers they own (a home charger). A phone holds a random token in a cookie; the database holds
/// only its SHA-256, so a stolen database signs nobody in. Another phone joins an account with a
/// one-time pairing code.
/// </summary>
public sealed class AccountStore(Database db, Func<long> clock)
{
    /// <summary>The settlement choices: offset against purchases, points, payout.</summary>
    public static readonly string[] Settlements = ["offset", "points", "payout"];

    /// <summary>The preset names every charger knows (Firmware/Conditions/PresetStore).</summary>
    public static readonly string[] Presets = ["cautious", "balanced", "leave-to-aggregator"];

    /// <summary>
    /// The values of the chargers' built-in presets (Firmware/Conditions/PresetStore): what a
    /// status that names only its preset means. Kept SOC %, minimum sell and maximum buy price
    /// (milli-currency per kWh), delegated.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, DriverConditions> PresetValues = new Dictionary<string, DriverConditions>(StringComparer.Ordinal)
    {
        ["cautious"] = new(null, 40_000, 12_000, 80, false),
        ["balanced"] = new(null, 25_000, 15_000, 50, false),
        ["leave-to-aggregator"] = new(null, 0, 0, 30, true),
    };

    private const long PairingMs = 10 * 60_000;

    /// <summary>Creates a user with this phone; returns the user id and the phone's token (shown once, kept in the cookie).</summary>
    public (long UserId, string Token) SignUp(string name, string phoneLabel)
    {
        name = CheckText(name, 1, 60, "name");
        string token = NewToken();
        long now = clock();
        long userId = db.Write(tx =>
        {
            long id = tx.Long("INSERT INTO users (display_name, created_at, cond_preset) VALUES (@n, @t, @p) RETURNING id",
                ("@n", name), ("@t", now), ("@p", DriverConditions.Default.Preset))!.Value;
            AddPhone(tx, id, token, phoneLabel, now);
            return id;
        });
        return (userId, token);
    }

    /// <summary>The user a phone token belongs to, or null (and notes when the phone was last seen).</summary>
    public long? UserOf(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
        {
            return null;
        }

        string hash = Wire.Digest(token);
        long now = clock();
        (long User, long LastSeen)? phone = db.Read(tx => tx.First("SELECT user_id, last_seen_at FROM phones WHERE token_hash = @h",
            r => ((long, long)?)(r.Long("user_id"), r.Long("last_seen_at")), ("@h", hash)));
        if (phone is { } p && now - p.LastSeen > 60_000)
        {
            // A phone polls every few seconds: note it at most once a minute, not with a write per request.
            db.Write(tx => tx.Execute("UPDATE phones SET last_seen_at = @t WHERE token_hash = @h", ("@t", now), ("@h", hash)));
        }

        return phone?.User;
    }

    /// <summary>A one-time code (8 characters, 10 minutes) with which another phone joins the account.</summary>
    public string NewPairingCode(long userId)
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        string code = new([.. Enumerable.Range(0, 8).Select(_ => alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)])]);
        long now = clock();
        db.Write(tx =>
        {
            tx.Execute("DELETE FROM pairing_codes WHERE expires_at < @t", ("@t", now));
            tx.Execute("INSERT INTO pairing_codes (code_hash, user_id, expires_at) VALUES (@h, @u, @e)", ("@h", Wire.Digest(code)), ("@u", userId), ("@e", now + PairingMs));
        });
        return code;
    }

    /// <summary>Joins the account of <paramref name="code"/> with a new phone; returns its token, or null for a wrong or used code.</summary>
    public string? Pair(string code, string phoneLabel)
    {
        string hash = Wire.Digest(code.Trim().ToUpperInvariant());
        string token = NewToken();
        long now = clock();
        return db.Write(tx =>
        {
            long? user = tx.Long("SELECT user_id FROM pairing_codes WHERE code_hash = @h AND expires_at >= @t", ("@h", hash), ("@t", now));
            tx.Execute("DELETE FROM pairing_codes WHERE code_hash = @h", ("@h", hash));
            if (user is null)
            {
                return null;
            }

            AddPhone(tx, user.Value, token, phoneLabel, now);
            return token;
        });
    }

    /// <summary>Signs this phone out (its token stops working).</summary>
    public void SignOut(string token) => db.Write(tx => tx.Execute("DELETE FROM phones WHERE token_hash = @h", ("@h", Wire.Digest(token))));

    /// <summary>The account of <paramref name="userId"/>.</summary>
    public Account Get(long userId) => db.Read(tx => Get(tx, userId));

    /// <summary>The account of <paramref name="userId"/> in a transaction.</summary>
    public static Account Get(Tx tx, long userId)
    {
        Account? account = tx.First("SELECT * FROM users WHERE id = @u", r => new Account(r.Long("id"), r.String("display_name"), r.String("settlement"),
            new DriverConditions(r.Text("cond_preset"), r.LongOrNull("cond_min_sell_milli"), r.LongOrNull("cond_max_buy_milli"),
                r.IntOrNull("cond_kept_soc_pct"), r.Bool("cond_delegated")), []), ("@u", userId));
        if (account is null)
        {
            throw new AccountException("no such user");
        }

        List<DriverWindow> windows = tx.Query("SELECT * FROM user_windows WHERE user_id = @u ORDER BY id",
            r => new DriverWindow(r.Int("days_mask"), r.Int("start_min"), r.Int("end_min")), ("@u", userId));
        return account with { Windows = windows };
    }

    /// <summary>Sets the conditions: a known preset alone, or explicit values (prices in milli-currency, kept SOC 0..100).</summary>
    public void SetConditions(long userId, DriverConditions c)
    {
        if (c.Preset is not null)
        {
            if (!Presets.Contains(c.Preset))
            {
                throw new AccountException($"unknown preset '{c.Preset}' (one of {string.Join(", ", Presets)})");
            }

            if (c.MinSellMilli is not null || c.MaxBuyMilli is not null || c.KeptSocPct is not null || c.Delegated)
            {
                throw new AccountException("a preset or explicit values, not both");
            }
        }
        else
        {
            CheckPrice(c.MinSellMilli, "minimum sell price");
            CheckPrice(c.MaxBuyMilli, "maximum buy price");
            if (c.KeptSocPct is < 0 or > 100)
            {
                throw new AccountException("the kept state of charge is 0..100 %");
            }
        }

        db.Write(tx => tx.Execute(
            """
            UPDATE users SET cond_preset = @p, cond_min_sell_milli = @min, cond_max_buy_milli = @max, cond_kept_soc_pct = @kept,
              cond_delegated = @d WHERE id = @u
            """,
            ("@p", c.Preset), ("@min", c.MinSellMilli), ("@max", c.MaxBuyMilli), ("@kept", c.KeptSocPct), ("@d", c.Delegated), ("@u", userId)));
    }

    /// <summary>Replaces the user's windows (none: any time).</summary>
    public void SetWindows(long userId, IReadOnlyList<DriverWindow> windows)
    {
        if (windows.Count > 14)
        {
            throw new AccountException("at most 14 windows");
        }

        foreach (DriverWindow w in windows)
        {
            if (w.DaysMask is <= 0 or > 127 || w.StartMin is < 0 or >= 1440 || w.EndMin is < 0 or > 1440 || w.StartMin == w.EndMin)
            {
                throw new AccountException("a window needs at least one day and a start and end time that differ");
            }
        }

        db.Write(tx =>
        {
            tx.Execute("DELETE FROM user_windows WHERE user_id = @u", ("@u", userId));
            foreach (DriverWindow w in windows)
            {
                tx.Execute("INSERT INTO user_windows (user_id, days_mask, start_min, end_min) VALUES (@u, @d, @s, @e)",
                    ("@u", userId), ("@d", w.DaysMask), ("@s", w.StartMin), ("@e", w.EndMin));
            }
        });
    }

    /// <summary>Sets the settlement choice (offset, points or payout).</summary>
    public void SetSettlement(long userId, string settlement)
    {
        if (!Settlements.Contains(settlement))
        {
            throw new AccountException($"settlement is one of {string.Join(", ", Settlements)}");
        }

        db.Write(tx => tx.Execute("UPDATE users SET settlement = @s WHERE id = @u", ("@s", settlement), ("@u", userId)));
    }

    /// <summary>
    /// Registers a vehicle: its EVCCID (the 12 hex digits the charger's receipt shows), its
    /// registration (number plate), or both; the battery capacity helps the planner.
    /// </summary>
    public Vehicle AddVehicle(long userId, string label, string? evccId, string? registration, long? capacityWh)
    {
        label = CheckText(label, 1, 40, "name of the vehicle");
        evccId = string.IsNullOrWhiteSpace(evccId) ? null : evccId.Trim().Replace(":", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToUpperInvariant();
        registration = string.IsNullOrWhiteSpace(registration) ? null : CheckText(registration, 1, 40, "registration");
        if (evccId is null && registration is null)
        {
            throw new AccountException("give the vehicle's EVCCID or its registration");
        }

        if (evccId is not null && (evccId.Length is < 2 or > 64 || !evccId.All(Uri.IsHexDigit)))
        {
            throw new AccountException("an EVCCID is hexadecimal digits, as on the charger's receipt (e.g. 02005EAB12CD)");
        }

        if (capacityWh is < 1_000 or > 250_000)
        {
            throw new AccountException("battery capacity is 1..250 kWh");
        }

        return db.Write(tx =>
        {
            if (evccId is not null && tx.Long("SELECT id FROM vehicles WHERE evcc_id = @e", ("@e", evccId)) is not null)
            {
                throw new AccountException("that EVCCID is already registered");
            }

            if (registration is not null && tx.Long("SELECT id FROM vehicles WHERE registration = @r", ("@r", registration)) is not null)
            {
                throw new AccountException("that registration is already registered");
            }

            long id = tx.Long("INSERT INTO vehicles (user_id, label, evcc_id, registration, capacity_wh, created_at) VALUES (@u, @l, @e, @r, @c, @t) RETURNING id",
                ("@u", userId), ("@l", label), ("@e", evccId), ("@r", registration), ("@c", capacityWh), ("@t", clock()))!.Value;
            return new Vehicle(id, userId, label, evccId, registration, capacityWh);
        });
    }

    /// <summary>The user's vehicles.</summary>
    public List<Vehicle> Vehicles(long userId) => db.Read(tx => tx.Query("SELECT * FROM vehicles WHERE user_id = @u ORDER BY id", ReadVehicle, ("@u", userId)));

    /// <summary>Removes a vehicle of the user's that no record refers to yet; false otherwise.</summary>
    public bool RemoveVehicle(long userId, long vehicleId) => db.Write(tx =>
        tx.Execute(
            """
            DELETE FROM vehicles WHERE id = @v AND user_id = @u
              AND NOT EXISTS (SELECT 1 FROM ledger_records WHERE vehicle_ref = @v)
              AND NOT EXISTS (SELECT 1 FROM consent_prompts WHERE vehicle_ref = @v)
              AND NOT EXISTS (SELECT 1 FROM sessions WHERE vehicle_ref = @v)
            """, ("@v", vehicleId), ("@u", userId)) == 1);

    /// <summary>Makes <paramref name="chargerId"/> the home charger of <paramref name="userId"/> (null: nobody's). Operator only.</summary>
    public void SetChargerOwner(string chargerId, long? userId) => db.Write(tx =>
    {
        Chargers.Ensure(tx, chargerId, clock());
        tx.Execute("UPDATE chargers SET owner_user_id = @u WHERE id = @c", ("@u", userId), ("@c", chargerId));
    });

    /// <summary>Sets a charger's power limits, W (null: the assumed default). Operator only.</summary>
    public void SetChargerLimits(string chargerId, int? maxChargeW, int? maxDischargeW) => db.Write(tx =>
    {
        Chargers.Ensure(tx, chargerId, clock());
        tx.Execute("UPDATE chargers SET max_charge_w = @c, max_discharge_w = @d WHERE id = @id", ("@c", maxChargeW), ("@d", maxDischargeW), ("@id", chargerId));
    });

    internal static Vehicle ReadVehicle(Row r) =>
        new(r.Long("id"), r.Long("user_id"), r.String("label"), r.Text("evcc_id"), r.Text("registration"), r.LongOrNull("capacity_wh"));

    private static void AddPhone(Tx tx, long userId, string token, string label, long now) =>
        tx.Execute("INSERT INTO phones (user_id, token_hash, label, created_at, last_seen_at) VALUES (@u, @h, @l, @t, @t)",
            ("@u", userId), ("@h", Wire.Digest(token)), ("@l", label.Length > 80 ? label[..80] : label), ("@t", now));

    private static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string CheckText(string? value, int min, int max, string what)
    {
        string text = (value ?? string.Empty).Trim();
        if (text.Length < min || text.Length > max || text.Any(char.IsControl))
        {
            throw new AccountException($"the {what} is {min}..{max} characters");
        }

        return text;
    }

    private static void CheckPrice(long? milli, string what)
    {
        if (milli is < 0 or > 1_000_000_000)
        {
            throw new AccountException($"the {what} is 0..1000000 per kWh");
        }
    }
}
