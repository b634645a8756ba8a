using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ScraperSky.Scanning.Fetching;

/// The scanner's HTTP client. Redirects are followed here rather than by the handler so that each hop can be
/// recorded, checked for scheme and loops, and retried over http when https cannot connect. Every connection goes
/// through <see cref="GuardedConnector"/>. Hosts whose https failed are remembered for a while
/// (<see cref="HttpsFallbackMemory"/>), so later requests go straight to http, and requests in flight to a host nothing
/// is known of share one https attempt, settled when its TLS handshake ends. Every request first takes a slot of
/// its registrable domain (<see cref="HostConcurrency"/>), before its response timeout starts.
public sealed partial class WebFetcher(
    IHttpMessageHandlerFactory handlers,
    IOptions<ScanningOptions> options,
    HttpsFallbackMemory httpsFallback,
    HostConcurrency hosts,
    TimeProvider time,
    ILogger<WebFetcher> logger) : IWebFetcher
{
    public const string HttpClientName = "ScraperSky.Fetcher";

    private const int MaxRetries = 1;

    /// How long a connection is kept for another request to its host. A scan's requests to a site overlap and follow
    /// one another within a second; after the scan nothing asks that host again, and with the handler's default minute a
    /// batch kept ~1,500 idle connections at a time, their buffers (12.6 MB of 4 KB arrays) and sockets in gen2. With a
    /// scan's requests overlapped (a few connections per site) 10 s kept ~2,000 sockets at the peak (load-run, 3,000).
    /// 1 s against 2 s (load-run, 10,000 domains, two alternated pairs): peak RSS 273 / 276 against 280 / 285 MiB, CPU
    /// per domain 7.0 against 7.4-7.5 ms; the gap between two requests of a scan is its extraction, not the site's latency.
    internal static readonly TimeSpan IdleConnectionTimeout = TimeSpan.FromSeconds(1);

    /// What every request asks for besides the page: sent as the text HttpClient's parsed default headers came to.
    private const string Accept = "text/html, application/xhtml+xml, */*; q=0.8";

    // The factory's pooled handler, sent to directly: an HttpClient in front of it copied its default headers into every
    // request, linked a cancellation source per request and threw every failed https attempt once more. Taken once per
    // fetcher (fetchers live for one scan), as the factory rotates its handlers.
    private HttpMessageInvoker? _invoker;

    public Task<FetchedPage> GetPageAsync(Uri url, CancellationToken cancellationToken) => GetPageAsync(url, null, cancellationToken);

    public async Task<FetchedPage> GetPageAsync(Uri url, IPageRoom? room, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        EnsureFetchable(url);
        var slot = await hosts.EnterAsync(url, cancellationToken);
        var started = time.GetTimestamp();
        using var deadline = new CancellationTokenSource(settings.ResponseTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            (var response, var chain, slot) = await SendFollowingRedirectsAsync(url, slot, null, linked.Token);
            using (response)
            {
                if (response.Content.Headers.ContentLength > settings.MaxPageBytes)
                {
                    throw new ResponseTooLargeException(settings.MaxPageBytes);
                }

                if (room is not null)
                {
                    // The response timeout and the page's elapsed time stop while the page waits for room.
                    var waitStarted = time.GetTimestamp();
                    var left = settings.ResponseTimeout - time.GetElapsedTime(started, waitStarted);
                    deadline.CancelAfter(Timeout.InfiniteTimeSpan);
                    await room.TakeAsync(response.Content.Headers.ContentLength, cancellationToken);
                    deadline.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.FromTicks(1));
                    started += time.GetTimestamp() - waitStarted;
                }

                var stream = await response.Content.ReadAsStreamAsync(linked.Token);
                await using var body = new CappedStream(stream, settings.MaxPageBytes, deadline.Token);
                var contentType = response.Content.Headers.ContentType?.ToString();
                var html = await PageText.ReadAsync(body, response.Content.Headers.ContentLength, settings.MaxPageBytes, contentType, linked.Token);
                return new FetchedPage
                {
                    RequestedUrl = url,
                    FinalUrl = response.RequestMessage!.RequestUri!,
                    StatusCode = (int)response.StatusCode,
                    RedirectChain = chain,
                    Headers = HeadersOf(response),
                    ContentType = contentType,
                    Html = html,
                    Bytes = body.BytesRead,
                    ElapsedMs = (long)time.GetElapsedTime(started).TotalMilliseconds,
                };
            }
        }
        catch (Exception ex) when (Translate(ex, url, settings, cancellationToken) is { } failure)
        {
            throw failure;
        }
        catch (Exception ex) when (ex is not OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            // The caller cancelled; whatever the cancellation broke on the way is reported as what it is.
            throw new OperationCanceledException("The fetch was cancelled.", ex, cancellationToken);
        }
        finally
        {
            slot.Dispose();
        }
    }

    public Task<FetchedStream> OpenAsync(Uri url, long maxBytes, CancellationToken cancellationToken) =>
        OpenAsync(url, maxBytes, null, cancellationToken);

    public async Task<FetchedStream> OpenAsync(Uri url, long maxBytes, Func<Uri, bool>? mayRedirectTo, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        var settings = options.Value;
        EnsureFetchable(url);
        HostConcurrency.Lease? slot = await hosts.EnterAsync(url, cancellationToken);
        var started = time.GetTimestamp();
        var deadline = new CancellationTokenSource(settings.ResponseTimeout, time);
        var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        HttpResponseMessage? response = null;
        try
        {
            (response, var chain, slot) = await SendFollowingRedirectsAsync(url, slot, mayRedirectTo, linked.Token);
            var stream = await response.Content.ReadAsStreamAsync(linked.Token);
            var owned = response;
            var held = slot;
            response = null;
            slot = null;
            return new FetchedStream(new CappedStream(stream, maxBytes, deadline.Token), new Owned(owned, linked, deadline, held))
            {
                FinalUrl = owned.RequestMessage!.RequestUri!,
                StatusCode = (int)owned.StatusCode,
                ContentType = owned.Content.Headers.ContentType?.ToString(),
                RedirectChain = chain,
                ElapsedMs = (long)time.GetElapsedTime(started).TotalMilliseconds,
            };
        }
        catch (Exception ex)
        {
            response?.Dispose();
            slot?.Dispose();
            linked.Dispose();
            deadline.Dispose();
            if (Translate(ex, url, settings, cancellationToken) is { } failure)
            {
                throw failure;
            }

            if (ex is not OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("The fetch was cancelled.", ex, cancellationToken);
            }

            throw;
        }
    }

    /// Follows redirects from <paramref name="url"/>, holding <paramref name="slot"/> (its registrable domain's) and
    /// trading it for another domain's when a redirect leaves it. Returns the slot the final response holds; on
    /// failure the slot it held is given back.
    private async Task<(HttpResponseMessage Response, IReadOnlyList<Uri> Chain, HostConcurrency.Lease Slot)> SendFollowingRedirectsAsync(
        Uri url, HostConcurrency.Lease slot, Func<Uri, bool>? mayRedirectTo, CancellationToken cancellationToken)
    {
        var held = new StrongBox<HostConcurrency.Lease>(slot);
        try
        {
            var (response, chain) = await SendFollowingRedirectsAsync(url, held, mayRedirectTo, cancellationToken);
            return (response, chain, held.Value!);
        }
        catch
        {
            held.Value!.Dispose();
            throw;
        }
    }

    private async Task<(HttpResponseMessage Response, IReadOnlyList<Uri> Chain)> SendFollowingRedirectsAsync(
        Uri url, StrongBox<HostConcurrency.Lease> slot, Func<Uri, bool>? mayRedirectTo, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var chain = new List<Uri>();
        // Cookies live for one fetch only: enough for sites that set a cookie and redirect to themselves to check it.
        var cookies = new CookieContainer();
        var sent = new List<(Uri Url, string Cookies)>();
        var current = url;
        for (var hop = 0; ; hop++)
        {
            EnsureFetchable(current);
            // The first hop's slot was taken for its own URL: its registrable domain is not looked up twice.
            if (hop > 0 && slot.Value!.Key != HostConcurrency.KeyOf(current))
            {
                slot.Value.Dispose();
                slot.Value = await hosts.EnterAsync(current, cancellationToken);
            }

            var response = await SendPreferringHttpsAsync(current, upgradeHttp: hop == 0, cookies, cancellationToken);
            var fetched = response.RequestMessage!.RequestUri!;
            sent.Add((fetched, response.RequestMessage.Headers.TryGetValues("Cookie", out var cookie) ? string.Join("; ", cookie) : ""));
            Uri? location;
            try
            {
                StoreCookies(cookies, response, fetched);
                location = RedirectTarget(response, fetched);
            }
            catch
            {
                response.Dispose();
                throw;
            }

            if (location is null)
            {
                return (response, chain);
            }

            response.Dispose();
            chain.Add(fetched);
            if (mayRedirectTo is not null && !mayRedirectTo(location))
            {
                throw new ScanException(
                    $"{ErrorText.Url(fetched)} redirects to {ErrorText.Url(location)}, outside what this scan reads; not followed.", false);
            }

            if (chain.Count > settings.MaxRedirects)
            {
                throw new ScanException(
                    $"Too many redirects (more than {settings.MaxRedirects.ToString(CultureInfo.InvariantCulture)}) from {url}.", false);
            }

            // Compare what will actually be fetched: an https target on a host without https is fetched over http.
            var effective = location.Scheme == Uri.UriSchemeHttps && httpsFallback.LacksHttps(location.IdnHost)
                ? WithScheme(location, Uri.UriSchemeHttp)
                : location;
            var nextCookies = cookies.GetCookieHeader(effective);
            if (sent.Any(visited => SameResource(visited.Url, effective) && visited.Cookies == nextCookies))
            {
                throw new ScanException($"Redirect loop: {fetched} redirects back to {location}.", false);
            }

            LogRedirect(logger, fetched, location);
            current = location;
        }
    }

    private async Task<HttpResponseMessage> SendPreferringHttpsAsync(
        Uri url, bool upgradeHttp, CookieContainer cookies, CancellationToken cancellationToken)
    {
        if (url.Scheme == Uri.UriSchemeHttps || upgradeHttp)
        {
            var host = url.IdnHost;
            // Requests to a host nothing is known of share the first one's https attempt (HttpsFallbackMemory.Probe).
            var (outcome, probe) = await httpsFallback.DecideAsync(host, cancellationToken);
            if (outcome != HttpsOutcome.Lacking)
            {
                try
                {
                    var https = await SendAsync(WithScheme(url, Uri.UriSchemeHttps), cookies, probe, cancellationToken);
                    if (https.Response is { } response)
                    {
                        probe?.Settle(HttpsOutcome.Works);
                        return response;
                    }

                    if (cancellationToken.IsCancellationRequested || !CannotConnectOverHttps(https.Failure!.SourceException))
                    {
                        https.Failure!.Throw();
                    }

                    if (probe is null)
                    {
                        httpsFallback.Remember(host);
                    }
                    else
                    {
                        probe.Settle(HttpsOutcome.Lacking);
                    }

                    LogHttpsFallback(logger, host, https.Failure.SourceException.GetBaseException().Message);
                }
                finally
                {
                    // Cancelled, or failed for a reason that says nothing of https: the next request waiting tries.
                    probe?.Settle(HttpsOutcome.Undecided);
                }
            }
        }

        var http = await SendAsync(WithScheme(url, Uri.UriSchemeHttp), cookies, null, cancellationToken);
        http.Failure?.Throw();
        return http.Response!;
    }

    /// Sends one request, asking once more after about 200 ms when a kept-alive connection dropped it or the answer was
    /// a momentary 502/503/504. Anything more belongs to the job queue, which retries a whole scan with backoff. Done
    /// here rather than by a resilience handler in the client: that handler caught and rethrew every failure, and each
    /// new host's https attempt fails once. A failure is returned, not thrown: the https attempt's is expected once per
    /// host without https, and each throw on its way up is a stack walk.
    private async Task<Sent> SendAsync(Uri url, CookieContainer cookies, HttpsFallbackMemory.Probe? probe, CancellationToken cancellationToken)
    {
        var invoker = _invoker ??= new HttpMessageInvoker(handlers.CreateHandler(HttpClientName), disposeHandler: false);
        var userAgent = options.Value.UserAgent;
        var cookieHeader = cookies.GetCookieHeader(url);
        for (var attempt = 0; ; attempt++)
        {
            var retry = attempt < MaxRetries;
            // A request message is sent once; a retry needs its own.
            using (var request = new HttpRequestMessage(HttpMethod.Get, url))
            {
                request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
                request.Headers.TryAddWithoutValidation("Accept", Accept);
                if (cookieHeader.Length > 0)
                {
                    request.Headers.TryAddWithoutValidation("Cookie", cookieHeader);
                }

                if (probe is not null)
                {
                    request.Options.Set(HttpsFallbackMemory.Probe.RequestKey, probe);
                }

                var sending = invoker.SendAsync(request, cancellationToken);
                await ((Task)sending).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (sending.IsCompletedSuccessfully)
                {
                    var response = sending.Result;
                    if (!retry || response.StatusCode is not (HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout))
                    {
                        return new Sent(response, null);
                    }

                    response.Dispose();
                }
                else
                {
                    var failure = FailureOf(sending);
                    // A kept-alive connection the server had already closed: worth one more try on a new connection.
                    if (!retry || failure.SourceException is not HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded })
                    {
                        return new Sent(null, failure);
                    }
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(150, 251)), time, cancellationToken);
        }
    }

    /// What a failed send threw, to be thrown where it is not expected (a faulted task holds its exception; a cancelled
    /// one is awaited for it).
    private static ExceptionDispatchInfo FailureOf(Task<HttpResponseMessage> failed)
    {
        if (failed.Exception?.InnerException is { } exception)
        {
            return ExceptionDispatchInfo.Capture(exception);
        }

        try
        {
            failed.GetAwaiter().GetResult();
        }
        catch (Exception cancelled)
        {
            return ExceptionDispatchInfo.Capture(cancelled);
        }

        throw new InvalidOperationException("The send neither succeeded nor failed.");
    }

    /// A response, or what kept it from arriving.
    private readonly record struct Sent(HttpResponseMessage? Response, ExceptionDispatchInfo? Failure);

    private static void StoreCookies(CookieContainer cookies, HttpResponseMessage response, Uri fetched)
    {
        if (!response.Headers.TryGetValues("Set-Cookie", out var values))
        {
            return;
        }

        foreach (var value in values)
        {
            try
            {
                cookies.SetCookies(fetched, value);
            }
            catch (CookieException)
            {
                // A malformed cookie is the site's problem; the page may still load without it.
            }
        }
    }

    /// The https attempt failed before any HTTP was exchanged: no connection, a connect timeout, or a failed TLS
    /// handshake. A refused address or an unknown name would fail over http just the same, so they do not count.
    private static bool CannotConnectOverHttps(Exception ex)
    {
        if (Find<AddressRefusedException>(ex) is not null || Find<HostLookupException>(ex) is not null)
        {
            return false;
        }

        return ex switch
        {
            HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError } => true,
            OperationCanceledException { InnerException: TimeoutException } => true,
            _ => false,
        };
    }

    private static Uri? RedirectTarget(HttpResponseMessage response, Uri fetched)
    {
        if (response.StatusCode is not (HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect))
        {
            return null;
        }

        var location = response.Headers.Location;
        if (location is null)
        {
            return null;
        }

        if (!location.IsAbsoluteUri && !Uri.TryCreate(fetched, location, out location))
        {
            throw new ScanException($"{fetched} redirects to an invalid address.", false);
        }

        // A fragment never reaches the server; dropping it keeps loop detection honest.
        return string.IsNullOrEmpty(location.Fragment) ? location : new UriBuilder(location) { Fragment = "" }.Uri;
    }

    private static void EnsureFetchable(Uri url)
    {
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            var scheme = url.IsAbsoluteUri ? url.Scheme : "relative";
            throw new ScanException($"Cannot fetch {url}: the {scheme} scheme is not supported (http and https only).", false);
        }
    }

    private static bool SameResource(Uri a, Uri b) =>
        string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port
        && a.Scheme == b.Scheme
        && string.Equals(a.PathAndQuery, b.PathAndQuery, StringComparison.Ordinal);

    private static Uri WithScheme(Uri url, string scheme)
    {
        if (url.Scheme == scheme)
        {
            return url;
        }

        return new UriBuilder(url) { Scheme = scheme, Port = url.IsDefaultPort ? -1 : url.Port }.Uri;
    }

    private static Dictionary<string, IReadOnlyList<string>> HeadersOf(HttpResponseMessage response)
    {
        var headers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated))
        {
            IReadOnlyList<string> list = name.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase)
                ? [.. values]
                : [string.Join(", ", values)];
            headers[name] = list;
        }

        return headers;
    }

    /// Turns whatever ended the request into the user-facing reason; null when the caller cancelled (rethrown as is).
    private static ScanException? Translate(Exception ex, Uri url, ScanningOptions settings, CancellationToken cancellationToken)
    {
        if (ex is ScanException scan)
        {
            return scan;
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        var host = url.IdnHost;
        if (Find<AddressRefusedException>(ex) is { } refused)
        {
            return new ScanException(refused.Message, false, ex);
        }

        if (Find<ResponseTooLargeException>(ex) is { } tooLarge)
        {
            return new ScanException($"The response from {host} is larger than the limit of {Size(tooLarge.Limit)}.", false, ex);
        }

        if (Find<HostLookupException>(ex) is { } lookup)
        {
            return lookup.Error == SocketError.TryAgain
                ? new ScanException($"DNS lookup for {host} failed temporarily.", true, ex)
                : new ScanException($"The domain {host} does not resolve (DNS lookup found no address).", false, ex);
        }

        // SocketsHttpHandler reports its ConnectTimeout as a cancellation wrapping a TimeoutException.
        if (ex is OperationCanceledException { InnerException: TimeoutException })
        {
            return new ScanException($"Connecting to {host} timed out.", true, ex);
        }

        if (Find<ResponseTimeoutException>(ex) is not null || ex is OperationCanceledException)
        {
            return new ScanException(
                $"{host} did not send a complete response within {settings.ResponseTimeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s.", true, ex);
        }

        if (Find<SocketException>(ex) is { } socket)
        {
            return socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => new ScanException($"{host} refused the connection.", true, ex),
                SocketError.ConnectionReset => new ScanException($"{host} reset the connection.", true, ex),
                SocketError.TimedOut => new ScanException($"Connecting to {host} timed out.", true, ex),
                SocketError.HostUnreachable or SocketError.NetworkUnreachable =>
                    new ScanException($"{host} is unreachable from here.", true, ex),
                _ => new ScanException($"Could not connect to {host} ({socket.SocketErrorCode}).", true, ex),
            };
        }

        return ex switch
        {
            HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } or HttpIOException { HttpRequestError: HttpRequestError.ResponseEnded } =>
                new ScanException($"{host} closed the connection before the response was complete.", true, ex),
            HttpRequestException { HttpRequestError: HttpRequestError.InvalidResponse } =>
                new ScanException($"{host} sent an invalid HTTP response.", false, ex),
            HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } =>
                new ScanException($"The TLS handshake with {host} failed.", true, ex),
            HttpRequestException or IOException =>
                new ScanException($"Could not fetch {url}: {ex.GetBaseException().Message}", true, ex),
            _ => null,
        };
    }

    private static T? Find<T>(Exception? ex)
        where T : Exception
    {
        for (var current = ex; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }
        }

        return null;
    }

    private static string Size(long bytes) => bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0
        ? $"{(bytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture)} MiB"
        : $"{bytes.ToString(CultureInfo.InvariantCulture)} bytes";

    /// Creates the primary handler of the named client: no automatic redirects (we follow them ourselves), the address
    /// guard in the connect step, transport decompression (the caps count decompressed bytes), and certificate
    /// validation that also trusts `ExtraRootCertificates` when any are configured. Chains are built offline
    /// (<see cref="ExtraRootTrust.OfflineChainPolicy"/>): a certificate's AIA, OCSP or CRL address would otherwise be
    /// fetched by the runtime's own HTTP client, outside <see cref="GuardedConnector"/>.
    public static SocketsHttpHandler CreateHandler(ScanningOptions settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var connector = new GuardedConnector(new HostMap(settings.HostMap));
        var extraRoots = ExtraRootTrust.Load(settings.ExtraRootCertificates);
        return new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = extraRoots is null ? null : extraRoots.Validate,
                CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
                CertificateChainPolicy = ExtraRootTrust.OfflineChainPolicy(),
            },
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate | DecompressionMethods.Brotli,
            ConnectTimeout = settings.ConnectTimeout,
            ConnectCallback = connector.ConnectAsync,
            PlaintextStreamFilter = SettleHttpsProbe,
            UseCookies = false,
            UseProxy = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            PooledConnectionIdleTimeout = IdleConnectionTimeout,
        };
    }

    /// Runs on every new connection once its TLS handshake (if any) is done: a host's https attempt is settled here,
    /// so the requests waiting for it go on without waiting for its answer. Settled on the thread pool: the waiters go on
    /// inline, and would send their requests from inside the handler's connection setup.
    private static ValueTask<Stream> SettleHttpsProbe(SocketsHttpPlaintextStreamFilterContext context, CancellationToken cancellationToken)
    {
        var request = context.InitialRequestMessage;
        if (request.RequestUri?.Scheme == Uri.UriSchemeHttps && request.Options.TryGetValue(HttpsFallbackMemory.Probe.RequestKey, out var probe))
        {
            ThreadPool.UnsafeQueueUserWorkItem(static probe => probe.Settle(HttpsOutcome.Works), probe, preferLocal: false);
        }

        return ValueTask.FromResult(context.PlaintextStream);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "https to {Host} failed ({Reason}); using http")]
    private static partial void LogHttpsFallback(ILogger logger, string host, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{From} redirects to {To}")]
    private static partial void LogRedirect(ILogger logger, Uri from, Uri to);

    private sealed class Owned(HttpResponseMessage response, params IDisposable[] others) : IDisposable
    {
        public void Dispose()
        {
            response.Dispose();
            foreach (var other in others)
            {
                other.Dispose();
            }
        }
    }
}
