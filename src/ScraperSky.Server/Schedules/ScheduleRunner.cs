using Microsoft.Extensions.Options;
using ScraperSky.Data.Schedules;

namespace ScraperSky.Server.Schedules;

/// Submits the runs of due schedules, beside the scan workers of this process. Every `Schedules:PollInterval` it
/// runs what is due, each run in its own scope and transaction (<see cref="ScheduleRuns"/>), so several processes
/// may run this at once and each due run still happens once. A failure (the database restarting) leaves the
/// schedule due for the next poll.
internal sealed partial class ScheduleRunner(
    IServiceScopeFactory scopes,
    IOptions<ScheduleOptions> options,
    TimeProvider time,
    ILogger<ScheduleRunner> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await RunDueAsync(stoppingToken);
                await Task.Delay(options.Value.PollInterval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; a run in progress rolled back and stays due.
        }
    }

    private async Task RunDueAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                if (await scope.ServiceProvider.GetRequiredService<ScheduleRuns>().RunNextAsync(stoppingToken) is null)
                {
                    return;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogRunFailed(logger, e);
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Running due schedules failed; they stay due for the next poll")]
    private static partial void LogRunFailed(ILogger logger, Exception exception);
}
