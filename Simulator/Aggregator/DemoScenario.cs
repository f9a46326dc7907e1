using ChargerFirmware.Protocol.Messages;

namespace ChargerFirmware.Simulator.Aggregator;

/// <summary>
/// The aggregator's side of the demo, for every charger it sees, acting only on what the charger
/// publishes: standing prices when it comes online; once the driver shared the car and it reached
/// its floor ("awaiting-dispatch"), an up-DR (grid surplus: buy price down, charge); when that
/// ends, a down-DR (grid shortage: sell price up, discharge); when that ends, another discharge
/// at a sell price below the balanced preset's minimum, which the charger refuses.
/// </summary>
public sealed class DemoScenario
{
    /// <summary>Normal buy price, milli-JPY per kWh.</summary>
    public const long NormalBuyMilli = 12_000;

    /// <summary>Normal sell price.</summary>
    public const long NormalSellMilli = 18_000;

    /// <summary>Buy price during the up-DR event.</summary>
    public const long SurplusBuyMilli = 8_000;

    /// <summary>Sell price during the down-DR event: above the balanced preset's 25.</summary>
    public const long ShortageSellMilli = 30_000;

    /// <summary>Sell price of the last offer: below the balanced preset's 25.</summary>
    public const long CheapSellMilli = 20_000;

    private readonly Dictionary<string, Progress> _progress = [];

    /// <summary>Charge power of the up-DR event, W.</summary>
    public int UpW { get; init; } = 7_000;

    /// <summary>Length of the up-DR event, s.</summary>
    public int UpS { get; init; } = 15 * 60;

    /// <summary>Discharge power of the down-DR events, W (negative).</summary>
    public int DownW { get; init; } = -6_000;

    /// <summary>Length of the down-DR events, s.</summary>
    public int DownS { get; init; } = 10 * 60;

    /// <summary>Chargers whose story is over (the cheap offer was answered).</summary>
    public int Finished => _progress.Values.Count(p => p.Stage == Stage.Done);

    /// <summary>Publishes the standing (retained) prices for <paramref name="chargerIds"/> before they come online.</summary>
    public async Task PublishStandingPricesAsync(ReferenceAggregator aggregator, IEnumerable<string> chargerIds)
    {
        foreach (string id in chargerIds)
        {
            await aggregator.PublishPricesAsync(id, NormalBuyMilli, NormalSellMilli).ConfigureAwait(false);
            _progress[id] = new Progress { Stage = Stage.WaitingForFloor };
        }
    }

    /// <summary>One look at every charger; acts where its stage's condition holds. Call often, from one thread.</summary>
    public async Task StepAsync(ReferenceAggregator aggregator)
    {
        foreach (ChargerView view in aggregator.Chargers)
        {
            if (!_progress.TryGetValue(view.Id, out Progress? p))
            {
                _progress[view.Id] = p = new Progress();
            }

            StatusMessage? status;
            bool online;
            DispatchAckMessage? last = null;
            lock (view.Gate)
            {
                status = view.Status;
                online = view.Online;
                if (p.DispatchId is not null)
                {
                    last = view.AcksOf(p.DispatchId).LastOrDefault();
                }
            }

            if (!online)
            {
                continue;
            }

            switch (p.Stage)
            {
                case Stage.New:
                    await aggregator.PublishPricesAsync(view.Id, NormalBuyMilli, NormalSellMilli).ConfigureAwait(false);
                    p.Stage = Stage.WaitingForFloor;
                    break;
                case Stage.WaitingForFloor when status is { Consent: ConsentState.Granted, Reason: "awaiting-dispatch" }:
                    await aggregator.PublishPricesAsync(view.Id, SurplusBuyMilli, NormalSellMilli).ConfigureAwait(false);
                    p.DispatchId = await aggregator.DispatchAsync(view.Id, UpW, UpS, buyMilli: SurplusBuyMilli).ConfigureAwait(false);
                    p.Stage = Stage.Up;
                    break;
                case Stage.Up when Ended(last):
                    await aggregator.PublishPricesAsync(view.Id, NormalBuyMilli, ShortageSellMilli).ConfigureAwait(false);
                    p.DispatchId = await aggregator.DispatchAsync(view.Id, DownW, DownS, sellMilli: ShortageSellMilli).ConfigureAwait(false);
                    p.Stage = Stage.Down;
                    break;
                case Stage.Down when Ended(last):
                    await aggregator.PublishPricesAsync(view.Id, NormalBuyMilli, CheapSellMilli).ConfigureAwait(false);
                    p.DispatchId = await aggregator.DispatchAsync(view.Id, DownW, DownS, sellMilli: CheapSellMilli).ConfigureAwait(false);
                    p.Stage = Stage.Cheap;
                    break;
                case Stage.Cheap when last is not null:
                    p.Stage = Stage.Done;
                    break;
            }
        }
    }

    private static bool Ended(DispatchAckMessage? ack) => ack is not null && ack.Status is DispatchStatus.Completed
        or DispatchStatus.Expired or DispatchStatus.Rejected or DispatchStatus.Cancelled or DispatchStatus.Superseded;

    private enum Stage
    {
        New,
        WaitingForFloor,
        Up,
        Down,
        Cheap,
        Done,
    }

    private sealed class Progress
    {
        public Stage Stage { get; set; }

        public string? DispatchId { get; set; }
    }
}
