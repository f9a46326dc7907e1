using System.Net;
using System.Net.Sockets;
using MQTTnet.Server;

namespace ChargerFirmware.Aggregator.Ingest;

/// <summary>
/// An MQTT broker in the process (MQTTnet.Server), on loopback, so one command runs the whole story
/// (the simulator's demo, or the server alone for chargers in another process). It has no shared
/// subscriptions: one server instance uses it with plain subscriptions.
/// </summary>
public sealed class EmbeddedBroker : IAsyncDisposable
{
    private readonly MqttServer _server;

    private EmbeddedBroker(MqttServer server, int port)
    {
        _server = server;
        Port = port;
    }

    /// <summary>The port it listens on (loopback).</summary>
    public int Port { get; }

    /// <summary>Its host for clients.</summary>
    public static string Host => IPAddress.Loopback.ToString();

    /// <summary>Starts a broker on 127.0.0.1, on <paramref name="port"/> or a free port when 0.</summary>
    public static async Task<EmbeddedBroker> StartAsync(int port)
    {
        int chosen = port > 0 ? port : FreePort();
        MqttServerOptions options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointPort(chosen)
            .WithConnectionBacklog(1000)
            .Build();
        MqttServer server = new MqttServerFactory().CreateMqttServer(options);
        await server.StartAsync().ConfigureAwait(false);
        return new EmbeddedBroker(server, chosen);
    }

    /// <summary>A TCP port that was free a moment ago on loopback.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync().ConfigureAwait(false);
        _server.Dispose();
    }
}
