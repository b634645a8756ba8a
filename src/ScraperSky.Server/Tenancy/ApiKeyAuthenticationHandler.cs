using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using ScraperSky.Data.Tenancy;

namespace ScraperSky.Server.Tenancy;

/// Authenticates a request by its API key, or, in local mode and without a key, as the local user.
/// A presented key must be valid even in local mode: a wrong key is a mistake worth reporting. In local mode a keyless
/// request naming another host is refused with 400 (DNS rebinding) rather than asked for a key.
public sealed partial class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    LocalMode localMode,
    IProblemDetailsService problemDetails)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    private const string LocalScheme = "Local";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = ApiKeyCredentials.Read(Request);
        if (key is null)
        {
            return localMode.IsActiveFor(Context)
                ? AuthenticateResult.Success(new AuthenticationTicket(
                    new ClaimsPrincipal(new ClaimsIdentity([], LocalScheme)), SchemeName))
                : AuthenticateResult.NoResult();
        }

        // Resolved only for a key: the store's pooled DbContext would otherwise be leased and reset on every request.
        var tenants = Context.RequestServices.GetRequiredService<TenantStore>();
        var identity = await tenants.FindActiveKeyAsync(key, Context.RequestAborted);
        if (identity is null)
        {
            LogKeyRejected(Logger, Context.Connection.RemoteIpAddress?.ToString());
            return AuthenticateResult.Fail("The API key is invalid or has been revoked.");
        }

        Claim[] claims =
        [
            new(TenantClaims.TenantId, identity.TenantId.ToString("D")),
            new(TenantClaims.ApiKeyId, identity.KeyId.ToString("D")),
        ];
        return AuthenticateResult.Success(new AuthenticationTicket(
            new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        if (result.None && localMode.Judge(Request) == LocalRequest.Rebound)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await problemDetails.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = Context,
                ProblemDetails = { Status = StatusCodes.Status400BadRequest, Title = "Bad Request", Detail = LocalMode.RebindingDetail },
            });
            return;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Unauthorized",
                Detail = result.Failure?.Message
                         ?? "An API key is required: send it as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'.",
            },
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused an unknown or revoked API key from {RemoteAddress}")]
    private static partial void LogKeyRejected(ILogger logger, string? remoteAddress);
}
