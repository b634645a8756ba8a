using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using ScraperSky.Scanning.Fetching;

namespace ScraperSky.Scanning.Robots;

/// Answers "may this scan fetch that URL?" for every page after the homepage (which the user asked for, so it is
/// fetched regardless). robots.txt is read once per host and port for the life of the policy, which is one scan:
/// 2xx is parsed, 4xx means no restrictions, 5xx or an unreachable server means nothing may be fetched (RFC 9309
/// 2.3.1). Redirects are followed up to the fetcher's limit (5 by default, as the RFC asks).
public sealed partial class RobotsPolicy(IWebFetcher fetcher, IOptions<ScanningOptions> options)
{
    private readonly Dictionary<string, RobotsTxt> _byHost = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// The token matched against `user-agent` lines, taken from the configured User-Agent.
    public string ProductToken { get; } = ProductTokenFrom(options.Value.UserAgent);

    public async Task<bool> IsAllowedAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        var robots = await GetAsync(url, cancellationToken);
        return robots.IsAllowed(ProductToken, url.PathAndQuery);
    }

    /// The robots.txt that governs <paramref name="url"/>'s host (fetched on first use).
    public async Task<RobotsTxt> GetAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        var key = url.IsDefaultPort ? url.IdnHost : $"{url.IdnHost}:{url.Port}";
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_byHost.TryGetValue(key, out var robots))
            {
                robots = await FetchAsync(new Uri(url, "/robots.txt"), cancellationToken);
                _byHost[key] = robots;
            }

            return robots;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<RobotsTxt> FetchAsync(Uri robotsUrl, CancellationToken cancellationToken)
    {
        try
        {
            await using var response = await fetcher.OpenAsync(robotsUrl, RobotsTxt.MaxLength + 1L, cancellationToken);
            return response.StatusCode switch
            {
                >= 200 and < 300 => RobotsTxt.Parse(await ReadPrefixAsync(response.Body, cancellationToken), response.FinalUrl),
                >= 400 and < 500 => RobotsTxt.AllowAll,
                >= 500 => RobotsTxt.DisallowAll,
                // A redirect without a target, or another status that is no answer: treated as unavailable.
                _ => RobotsTxt.AllowAll,
            };
        }
        catch (ScanException)
        {
            // Unreachable (or a redirect chain we refuse to follow): RFC 9309 says assume complete disallow.
            return RobotsTxt.DisallowAll;
        }
        catch (IOException)
        {
            return RobotsTxt.DisallowAll;
        }
    }

    /// Reads up to the parse limit and stops: a larger file is cut there instead of failing. The buffer is pooled: a
    /// fresh one of the limit's 512 KB per robots.txt was large-object heap garbage for every domain scanned.
    private static async Task<string> ReadPrefixAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(RobotsTxt.MaxLength);
        try
        {
            var length = 0;
            int read;
            while (length < RobotsTxt.MaxLength
                && (read = await body.ReadAsync(buffer.AsMemory(length, RobotsTxt.MaxLength - length), cancellationToken)) > 0)
            {
                length += read;
            }

            return Encoding.UTF8.GetString(buffer, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// "Mozilla/5.0 (compatible; ScraperSky/1.0; +https://…)" → "ScraperSky": the first product/version pair that is
    /// not one of the browser compatibility tokens; else the leading word; else "ScraperSky".
    public static string ProductTokenFrom(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return "ScraperSky";
        }

        foreach (Match product in ProductVersion().Matches(userAgent))
        {
            var name = product.Groups[1].Value;
            if (name is not ("Mozilla" or "AppleWebKit" or "KHTML" or "Gecko" or "Chrome" or "Safari" or "Firefox"
                or "Version" or "Edg" or "Mobile"))
            {
                return name;
            }
        }

        var word = LeadingWord().Match(userAgent);
        return word.Success ? word.Value : "ScraperSky";
    }

    [GeneratedRegex(@"(?<![\w./-])([A-Za-z][A-Za-z_-]*)/\d")]
    private static partial Regex ProductVersion();

    [GeneratedRegex(@"^[A-Za-z_-]+")]
    private static partial Regex LeadingWord();
}
