using System.Text;
using Microsoft.Extensions.Options;
using ScraperSky.Data.Webhooks;
using ScraperSky.Scanning.Fetching;

namespace ScraperSky.Server.Webhooks;

/// The outcome of one POST: a 2xx status, or why it failed (a status, a timeout, a refused address ...).
public sealed record SendOutcome(bool Delivered, int? StatusCode, string? Error);

/// Posts one delivery, signed, through the guarded HttpClient (the scanner's connector: no private addresses, the
/// `Scanning:HostMap` routes, no redirects followed). The body is sent exactly as stored.
public sealed class WebhookSender(IHttpClientFactory clients, IOptions<WebhookOptions> options, TimeProvider time)
{
    public const string HttpClientName = "ScraperSky.Webhooks";

    public async Task<SendOutcome> SendAsync(ClaimedDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var timeout = options.Value.Timeout;
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
        {
            Content = new StringContent(delivery.Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation(
            WebhookSignature.Header, WebhookSignature.Compute(delivery.Secret, time.GetUtcNow().ToUnixTimeSeconds(), delivery.Body));
        request.Headers.TryAddWithoutValidation(WebhookSignature.EventHeader, delivery.EventType);
        // A receiver's silence is measured on the wall clock: a socket waits in real time whatever clock the queue uses.
        using var deadline = new CancellationTokenSource(timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            using var response = await clients.CreateClient(HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? new SendOutcome(true, status, null)
                : new SendOutcome(false, status, $"The endpoint answered HTTP {status}.");
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new SendOutcome(false, null, $"No answer within {timeout.TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException e) when (Refusal(e) is { } refused)
        {
            return new SendOutcome(false, null, $"The address was refused: {refused.Message}");
        }
        catch (HttpRequestException e)
        {
            return new SendOutcome(false, null, $"The request failed: {e.HttpRequestError}.");
        }
    }

    private static AddressRefusedException? Refusal(Exception e)
    {
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is AddressRefusedException refused)
            {
                return refused;
            }
        }

        return null;
    }
}
