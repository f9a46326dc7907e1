using ChargerFirmware.Aggregator.Ingest;
using ChargerFirmware.Aggregator.Storage;
using ChargerFirmware.Aggregator.Tests.Support;
using ChargerFirmware.Tests.Link;
using ChargerFirmware.VirtualHardware.Mqtt;
using Xunit;
using static ChargerFirmware.Aggregator.Tests.Support.ChargerMessages;

namespace ChargerFirmware.Aggregator.Tests.Ingest;

/// <summary>
/// Two server instances on one PostgreSQL share the chargers' traffic through MQTT 5 shared
/// subscriptions on a real mosquitto: each record is stored once whoever receives it, every
/// charger is acknowledged to the end, and when one instance dies the other carries on.
/// </summary>
public sealed class TwoInstancesTests : IAsyncLifetime
{
    private readonly Mosquitto _broker = new();
    private readonly List<FakeCharger> _chargers = [];
    private Database _db = null!;
    private AggregatorServer _a = null!;
    private AggregatorServer _b = null!;

    public async Task InitializeAsync()
    {
        string connection = PostgresCluster.Instance.NewDatabase();
        _db = Database.Postgres(connection);
        _a = await Start("i-a", connection);
        _b = await Start("i-b", connection);
        for (int i = 1; i <= 6; i++)
        {
            _chargers.Add(await FakeCharger.ConnectAsync($"two-{i}", _broker.Port));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (FakeCharger charger in _chargers)
        {
            await charger.DisposeAsync();
        }

        await _b.DisposeAsync();
        await _a.DisposeAsync();
        _broker.Dispose();
    }

    [Fact]
    public async Task Each_record_is_stored_once_whichever_instance_gets_it_and_one_instance_dying_loses_nothing()
    {
        // Every record twice (a resend after a reconnect), the chargers interleaved.
        await Publish(1, 30);
        Assert.True(await FakeCharger.Until(() => _chargers.All(c => c.AckedUpTo == 30), TimeSpan.FromSeconds(30)),
            "acks: " + string.Join(", ", _chargers.Select(c => $"{c.Id} {c.AckedUpTo}")));
        Assert.Equal(6 * 30, Count());
        Assert.True(_a.Traffic.Handled > 0 && _b.Traffic.Handled > 0, $"the instances split the traffic: a {_a.Traffic.Handled}, b {_b.Traffic.Handled}");

        await _a.DisposeAsync(); // one instance gone; the other has everything from now on
        await Publish(31, 40);
        Assert.True(await FakeCharger.Until(() => _chargers.All(c => c.AckedUpTo == 40), TimeSpan.FromSeconds(30)),
            "acks: " + string.Join(", ", _chargers.Select(c => $"{c.Id} {c.AckedUpTo}")));
        Assert.Equal(6 * 40, Count());
        Assert.Equal(0, _db.Read(tx => tx.Long("SELECT COUNT(*) FROM alarms")));
        Assert.All(_chargers, c => Assert.Equal(40, _db.Read(tx => tx.Long("SELECT ledger_acked_up_to FROM chargers WHERE id = @c", ("@c", c.Id)))));
    }

    private async Task Publish(int from, int to)
    {
        for (int id = from; id <= to; id++)
        {
            foreach (FakeCharger charger in _chargers)
            {
                await charger.PublishAsync(Record(id, session: "s-" + charger.Id));
                await charger.PublishAsync(Record(id, session: "s-" + charger.Id));
            }
        }
    }

    private long Count() => _db.Read(tx => tx.Long("SELECT COUNT(*) FROM ledger_records")!.Value);

    private Task<AggregatorServer> Start(string instance, string connection) => AggregatorServer.StartAsync(new ServerOptions
    {
        Database = () => Database.Postgres(connection),
        Mqtt = new MqttSettings { Port = _broker.Port, ShareGroup = "aggregator" },
        Web = false,
        InstanceId = instance,
    }, _ => { });
}
