using System.Text.Json;

namespace ChargerFirmware.Simulator.Aggregator;

/// <summary>
/// The aggregator's operator in the demo, working the server's operator API as the operator page
/// does: once the shared car waits at its floor, an up-DR (grid surplus) offered at a lowered buy
/// price; when it is over, a down-DR (grid shortage) whose sell price the planner raises from the
/// standing 18 in steps of 6 until the driver's minimum is met; when that is over, a manual
/// discharge order at 20, below the driver's minimum, which the charger refuses.
/// </summary>
public sealed class DemoOperator(ServerClient server, string chargerId, Action<string> log)
{
    private Stage _stage = Stage.WaitingForFloor;
    private long _drId;
    private string? _orderId;

    /// <summary>Where the script is.</summary>
    public string Where => _stage switch
    {
        Stage.WaitingForFloor => "waiting for the car to reach its floor",
        Stage.Up => "up-DR running",
        Stage.Down => "down-DR running",
        Stage.Cheap => "a cheap offer sent",
        _ => "done",
    };

    /// <summary>The price the planner set for the down-DR, milli-currency per kWh (0 before).</summary>
    public long DownPriceMilli { get; private set; }

    /// <summary>The price of the up-DR, milli-currency per kWh.</summary>
    public long UpPriceMilli { get; private set; }

    /// <summary>Refusals the server recorded for the demo's orders ("o-… price-below-minimum").</summary>
    public List<string> Refusals { get; } = [];

    /// <summary>True once the cheap offer was answered.</summary>
    public bool Finished => _stage == Stage.Done;

    /// <summary>One look at the server; acts when the stage's condition holds.</summary>
    public async Task StepAsync()
    {
        switch (_stage)
        {
            case Stage.WaitingForFloor when await AtFloorAsync().ConfigureAwait(false):
                _drId = await DeclareAsync("up", 7, 15, 8, 8, 0).ConfigureAwait(false);
                _stage = Stage.Up;
                break;
            case Stage.Up when await DrOverAsync().ConfigureAwait(false) is { } up:
                UpPriceMilli = Milli(up, "price");
                _drId = await DeclareAsync("down", 6, 10, 18, 36, 6).ConfigureAwait(false);
                _stage = Stage.Down;
                break;
            case Stage.Down when await DrOverAsync().ConfigureAwait(false) is { } down:
                DownPriceMilli = Milli(down, "price");
                JsonElement order = await server.PostAsync("/api/operator/orders", new { chargerId, setpointW = -6000, minutes = 10, sellPrice = 20 }).ConfigureAwait(false);
                _orderId = order.GetProperty("id").GetString();
                log($"operator  | manual order {_orderId}: discharge 6 kW for 10 min at sell 20 JPY/kWh");
                _stage = Stage.Cheap;
                break;
            case Stage.Cheap:
                JsonElement o = await server.GetAsync("/api/operator/orders/" + _orderId).ConfigureAwait(false);
                string state = o.GetProperty("state").GetString()!;
                if (state is not ("planned" or "sent"))
                {
                    if (state == "rejected")
                    {
                        Refusals.Add($"{_orderId} {o.GetProperty("reason").GetString()}");
                    }

                    log($"operator  | order {_orderId}: {state}{(o.GetProperty("reason").ValueKind == JsonValueKind.String ? " (" + o.GetProperty("reason").GetString() + ")" : "")}");
                    _stage = Stage.Done;
                }

                break;
        }
    }

    private async Task<bool> AtFloorAsync()
    {
        foreach (JsonElement c in (await server.GetAsync("/api/operator/chargers").ConfigureAwait(false)).EnumerateArray())
        {
            if (c.GetProperty("id").GetString() == chargerId)
            {
                return c.GetProperty("consent").GetString() == "granted" && c.GetProperty("reason").GetString() == "awaiting-dispatch";
            }
        }

        return false;
    }

    private async Task<long> DeclareAsync(string direction, int kw, int minutes, decimal basePrice, decimal limitPrice, decimal step)
    {
        JsonElement dr = await server.PostAsync("/api/operator/drs", new { direction, kw, minutes, basePrice, limitPrice, stepPrice = step, note = "demo" }).ConfigureAwait(false);
        log($"operator  | declares {(direction == "up" ? "an" : "a")} {direction}-DR of {kw} kW for {minutes} min (base price {basePrice}, limit {limitPrice}): demand response #{dr.GetProperty("id").GetInt64()}");
        return dr.GetProperty("id").GetInt64();
    }

    // The demand response once it is over, with its orders' fate.
    private async Task<JsonElement?> DrOverAsync()
    {
        JsonElement report = await server.GetAsync("/api/operator/drs/" + _drId).ConfigureAwait(false);
        JsonElement dr = report.GetProperty("dr");
        if (dr.GetProperty("state").GetString() != "done")
        {
            return null;
        }

        foreach (JsonElement order in report.GetProperty("orders").EnumerateArray())
        {
            if (order.GetProperty("state").GetString() == "rejected")
            {
                Refusals.Add($"{order.GetProperty("id").GetString()} {order.GetProperty("reason").GetString()}");
            }
        }

        log($"operator  | demand response #{_drId} over: {dr.GetProperty("deliveredWh").GetInt64()} Wh recorded of {dr.GetProperty("requestedWh").GetInt64()} Wh asked, price {dr.GetProperty("price")} JPY/kWh");
        return dr;
    }

    private static long Milli(JsonElement dr, string name) =>
        dr.GetProperty(name).ValueKind == JsonValueKind.Number ? (long)(dr.GetProperty(name).GetDecimal() * 1000m) : 0;

    private enum Stage
    {
        WaitingForFloor,
        Up,
        Down,
        Cheap,
        Done,
    }
}
