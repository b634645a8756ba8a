using Microsoft.AspNetCore.Authentication;
using ScraperSky.Data.Tenancy;

namespace ScraperSky.Server.Tenancy;

public static class TenancyExtensions
{
    public static WebApplicationBuilder AddTenancy(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<LocalMode>();
        builder.Services.AddScoped<TenantStore>();
        builder.Services.AddScoped<RequestTenant>();
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorization();
        return builder;
    }
}
