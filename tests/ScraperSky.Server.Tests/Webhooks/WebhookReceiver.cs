using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ScraperSky.Testing.Fleet;

namespace ScraperSky.Server.Tests.Webhooks;

/// A webhook receiver on the fleet's loopback Kestrel (`hooks.test` through `Scanning:HostMap`): it checks every
/// signature against the secret, answers with the next scripted behaviour (a status, or silence for a while) and
/// keeps the event ids it accepted with a 2xx, deduplicating a redelivery as a real receiver would.
public sealed class WebhookReceiver
{
    public const string Secret = "test-secret-0123456789abcdef";

    private readonly ConcurrentQueue<Func<HttpContext, Task<int>>> _script = new();
    private readonly ConcurrentDictionary<string, int> _accepted = new();
    private readonly ConcurrentBag<string> _badSignatures = [];
    private int _requests;

    public WebhookReceiver(TestSiteFleet fleet, string host)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        Url = $"http://{host}/receive";
        fleet.Map(host, HandleAsync);
    }

    public string Url { get; }
    public int Requests => _requests;
    public IReadOnlyCollection<string> BadSignatures => _badSignatures;

    /// Event id → how many times it was accepted (a receiver that dedupes sees each once).
    public IReadOnlyDictionary<string, int> Accepted => _accepted;
    public ConcurrentBag<(string Id, string Type, JsonElement Data)> Events { get; } = [];

    public void Answer(int status) => _script.Enqueue(_ => Task.FromResult(status));

    /// Drops the behaviours not used yet: every later request is answered 200.
    public void Recover() => _script.Clear();

    public void Hang(TimeSpan delay) => _script.Enqueue(async context =>
    {
        await Task.Delay(delay, context.RequestAborted);
        return 200;
    });

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var header = context.Request.Headers["ScraperSky-Signature"].ToString();
        if (!Verify(header, body))
        {
            _badSignatures.Add(header);
            context.Response.StatusCode = 400;
            return;
        }

        var status = _script.TryDequeue(out var next) ? await next(context) : 200;
        using var json = JsonDocument.Parse(body);
        var id = json.RootElement.GetProperty("id").GetString()!;
        Assert.Equal(context.Request.Headers["ScraperSky-Event"].ToString(), json.RootElement.GetProperty("type").GetString());
        if (status is >= 200 and < 300)
        {
            if (_accepted.AddOrUpdate(id, 1, (_, n) => n + 1) == 1)
            {
                Events.Add((id, json.RootElement.GetProperty("type").GetString()!, json.RootElement.GetProperty("data").Clone()));
            }
        }

        context.Response.StatusCode = status;
    }

    private static bool Verify(string header, string body)
    {
        var parts = header.Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        if (!parts.TryGetValue("t", out var t) || !parts.TryGetValue("v1", out var v1)
            || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return false;
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{t}.{body}"));
        return CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(v1));
    }
}
