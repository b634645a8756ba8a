using Microsoft.Extensions.DependencyInjection.Extensions;
using ScraperSky.Data.Jobs;
using ScraperSky.Data.Schedules;

namespace ScraperSky.Server.Schedules;

public static class ScheduleRegistration
{
    /// The scheduler that submits due runs; hosted beside the scan workers (needs <c>AddScraperSkyData</c>).
    public static IServiceCollection AddScheduleRunner(this IServiceCollection services)
    {
        services.AddOptions<ScheduleOptions>().BindConfiguration(ScheduleOptions.Section)
            .Validate(o => o.PollInterval > TimeSpan.Zero, "Schedules:PollInterval must be positive.")
            .ValidateOnStart();
        services.TryAddScoped<JobSubmission>();
        services.TryAddScoped<ScheduleRuns>();
        services.AddHostedService<ScheduleRunner>();
        return services;
    }
}
