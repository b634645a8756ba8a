using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using ScraperSky.Data;
using ScraperSky.Data.Entities;
using ScraperSky.Data.Webhooks;
using ScraperSky.Server.Errors;
using ScraperSky.Server.OpenApi;
using ScraperSky.Server.Paging;
using ScraperSky.Server.Tenancy;

namespace ScraperSky.Server.Webhooks;

/// The tenant's webhooks: create (the secret shown once), list, delete, and each one's deliveries.
public static class WebhookEndpoints
{
    public const string NotFoundDetail = "Webhook not found";
    public const int MinSecretLength = 16;

    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/webhooks").WithTags("Webhooks").RequireAuthorization()
            .ProducesProblems(401, 403, 429);
        group.MapPost("", CreateAsync).WithName("CreateWebhook")
            .WithSummary("Subscribe a URL to events")
            .WithDescription("`url` (http or https, a public address: the scans' address guard applies), `events` " +
                             "(`batch.completed`, `scan.completed`, `domain.changed`) and an optional `secret` of at " +
                             "least 16 characters; without one a secret is generated, and it is shown only in this answer. " +
                             "Each delivery is a POST signed in `ScraperSky-Signature: t=<unix>,v1=<hex HMAC-SHA256 of " +
                             "\"<t>.<body>\">`, retried with backoff for about a day until a 2xx answers within 10 s.")
            .ProducesProblems(400, 422);
        group.MapGet("", ListAsync).WithName("ListWebhooks")
            .WithSummary("The tenant's webhooks, newest first")
            .WithDescription("Never shows a secret. `disabled_at` and `disabled_reason` are set when the endpoint kept " +
                             "failing for days and deliveries stopped.");
        group.MapDelete("/{webhookId}", DeleteAsync).WithName("DeleteWebhook")
            .WithSummary("Delete a webhook and its deliveries")
            .WithDescription("Answers with the webhook as it was; deliveries not yet sent are dropped. 404 for another " +
                             "tenant's webhook.")
            .ProducesProblems(404);
        group.MapGet("/{webhookId}/deliveries", ListDeliveriesAsync).WithName("ListWebhookDeliveries")
            .WithSummary("A webhook's deliveries, newest first")
            .WithDescription("Status (`pending`, `delivered`, `failed`), attempts, the next attempt, the last status " +
                             "code and error. Cursor-paged (`limit`, `cursor`, `next_cursor`).")
            .ProducesProblems(400, 404);
        return endpoints;
    }

    private static async Task<Results<Ok<WebhookCreated>, ProblemHttpResult>> CreateAsync(
        [FromBody] CreateWebhookRequest body, ClaimsPrincipal user, RequestTenant requestTenant, WebhookUrlGuard guard,
        ScraperSkyDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (body.Events is not { Count: > 0 } events)
        {
            return Problems.Unprocessable($"Field 'events' must list one or more of {string.Join(", ", WebhookEvents.All)}.");
        }

        if (events.FirstOrDefault(e => !WebhookEvents.All.Contains(e, StringComparer.Ordinal)) is { } unknown)
        {
            return Problems.Unprocessable($"Field 'events': '{unknown}' is not one of {string.Join(", ", WebhookEvents.All)}.");
        }

        if (body.Secret is { } given && (given.Length < MinSecretLength || given.Length > 200 || given.Any(char.IsControl)))
        {
            return Problems.Unprocessable($"Field 'secret' must be {MinSecretLength} to 200 printable characters.");
        }

        if (await guard.RefusalAsync(body.Url, cancellationToken) is { } refusal)
        {
            return Problems.BadRequest(refusal);
        }

        if (await requestTenant.ForSubmissionAsync(user, body.TenantId, cancellationToken) is not { } tenant)
        {
            return Problems.Forbidden(RequestTenant.MismatchDetail);
        }

        var webhook = new Webhook
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenant,
            Url = body.Url!,
            Events = [.. events.Distinct(StringComparer.Ordinal)],
            Secret = body.Secret ?? WebhookSignature.NewSecret(),
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.Webhooks.Add(webhook);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new WebhookCreated(webhook.PublicId, webhook.Url, webhook.Events, webhook.CreatedAt, webhook.Secret));
    }

    private static async Task<Results<Ok<WebhookList>, ProblemHttpResult>> ListAsync(
        [FromQuery(Name = "tenant_id")] Guid? tenantId, ClaimsPrincipal user, ScraperSkyDbContext db, CancellationToken cancellationToken)
    {
        if (RequestTenant.ForListing(user, tenantId) is not { } tenant)
        {
            return Problems.Forbidden(RequestTenant.MismatchDetail);
        }

        var webhooks = await db.Webhooks.AsNoTracking().Where(w => w.TenantId == tenant)
            .OrderByDescending(w => w.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(new WebhookList([.. webhooks.Select(WebhookView.From)]));
    }

    private static async Task<Results<Ok<WebhookView>, ProblemHttpResult>> DeleteAsync(
        string webhookId, [FromQuery(Name = "tenant_id")] Guid? tenantId, ClaimsPrincipal user, ScraperSkyDbContext db,
        CancellationToken cancellationToken)
    {
        if (RequestTenant.ForListing(user, tenantId) is not { } tenant)
        {
            return Problems.Forbidden(RequestTenant.MismatchDetail);
        }

        if (!PublicIds.TryParse(webhookId, Webhook.PublicPrefix, out var id)
            || await db.Webhooks.AsNoTracking().SingleOrDefaultAsync(w => w.Id == id && w.TenantId == tenant, cancellationToken) is not { } webhook)
        {
            return Problems.NotFound(NotFoundDetail);
        }

        // Its deliveries go with it (ON DELETE CASCADE); one a sender holds right now may still arrive once.
        await db.Webhooks.Where(w => w.Id == id && w.TenantId == tenant).ExecuteDeleteAsync(cancellationToken);
        return TypedResults.Ok(WebhookView.From(webhook));
    }

    private static async Task<Results<Ok<WebhookDeliveryPage>, ProblemHttpResult>> ListDeliveriesAsync(
        string webhookId,
        [FromQuery(Name = "tenant_id")] Guid? tenantId,
        [FromQuery(Name = "limit")] int? limit,
        [FromQuery(Name = "cursor")] string? cursor,
        ClaimsPrincipal user,
        ScraperSkyDbContext db,
        CancellationToken cancellationToken)
    {
        if (RequestTenant.ForListing(user, tenantId) is not { } tenant)
        {
            return Problems.Forbidden(RequestTenant.MismatchDetail);
        }

        if (!PublicIds.TryParse(webhookId, Webhook.PublicPrefix, out var id)
            || !await db.Webhooks.AnyAsync(w => w.Id == id && w.TenantId == tenant, cancellationToken))
        {
            return Problems.NotFound(NotFoundDetail);
        }

        if (!Cursor.TryPage<DeliveryPosition>(limit, cursor, out var pageSize, out var after, out var problem))
        {
            return Problems.BadRequest(problem!);
        }

        // Ids are version 7 UUIDs: their order is the order the deliveries were written.
        var deliveries = db.WebhookDeliveries.AsNoTracking().Where(d => d.WebhookId == id).OrderByDescending(d => d.Id);
        IQueryable<WebhookDelivery> page = deliveries;
        if (after is not null)
        {
            var last = after.Id;
            page = deliveries.Where(d => d.Id.CompareTo(last) < 0);
        }

        var items = await page.Take(pageSize + 1).ToListAsync(cancellationToken);
        var next = items.Count > pageSize ? Cursor.Encode(new DeliveryPosition(items[pageSize - 1].Id)) : null;
        return TypedResults.Ok(new WebhookDeliveryPage([.. items.Take(pageSize).Select(WebhookDeliveryView.From)], next));
    }

    private sealed record DeliveryPosition(Guid Id);
}
