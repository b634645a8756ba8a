using Microsoft.Extensions.Hosting;

namespace ScraperSky.Cli;

/// The worker host inside a command neither listens for Ctrl+C nor ends the process: the command owns both, and
/// stops the host itself so running scans are released before it prints how to resume.
internal sealed class CommandLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
