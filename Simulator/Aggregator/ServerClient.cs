using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ChargerFirmware.Simulator.Aggregator;

/// <summary>
/// The simulator's people talking to the aggregator's server the way its pages do, over HTTP and
/// JSON: the driver's phone (a cookie of its own) and the operator (the operator key).
/// </summary>
public sealed class ServerClient : IDisposable
{
    private readonly HttpClient _http;

    private ServerClient(Uri url, string? operatorKey)
    {
        _http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
        if (operatorKey is not null)
        {
            _http.DefaultRequestHeaders.Add("X-Operator-Key", operatorKey);
        }
    }

    /// <summary>A phone (sign it up or pair it first).</summary>
    public static ServerClient Phone(Uri url) => new(url, null);

    /// <summary>The operator's console.</summary>
    public static ServerClient Operator(Uri url, string key) => new(url, key);

    /// <summary>GET <paramref name="path"/> as JSON.</summary>
    public async Task<JsonElement> GetAsync(string path) => await Read(await _http.GetAsync(new Uri(path, UriKind.Relative)).ConfigureAwait(false)).ConfigureAwait(false);

    /// <summary>POST <paramref name="body"/> as JSON to <paramref name="path"/>.</summary>
    public async Task<JsonElement> PostAsync(string path, object? body) =>
        await Read(await _http.PostAsJsonAsync(new Uri(path, UriKind.Relative), body ?? new { }).ConfigureAwait(false)).ConfigureAwait(false);

    /// <summary>PUT <paramref name="body"/> as JSON to <paramref name="path"/>.</summary>
    public async Task<JsonElement> PutAsync(string path, object body) =>
        await Read(await _http.PutAsJsonAsync(new Uri(path, UriKind.Relative), body).ConfigureAwait(false)).ConfigureAwait(false);

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private static async Task<JsonElement> Read(HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{(int)response.StatusCode} from the server: {text}");
        }

        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
