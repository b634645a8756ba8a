using Microsoft.Net.Http.Headers;

namespace ScraperSky.Server.Tenancy;

/// Where a request carries its key: `Authorization: Bearer <key>` or `X-API-Key: <key>`.
public static class ApiKeyCredentials
{
    public const string HeaderName = "X-API-Key";
    private const string BearerPrefix = "Bearer ";

    public static string? Read(HttpRequest request)
    {
        var apiKey = request.Headers[HeaderName].ToString();
        if (!string.IsNullOrWhiteSpace(apiKey))
        {
            return apiKey.Trim();
        }

        var authorization = request.Headers[HeaderNames.Authorization].ToString();
        if (authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var token = authorization[BearerPrefix.Length..].Trim();
            return token.Length > 0 ? token : null;
        }

        return null;
    }
}
