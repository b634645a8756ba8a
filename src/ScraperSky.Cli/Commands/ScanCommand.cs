using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Cli.Output;
using ScraperSky.Cli.Remote;
using ScraperSky.Scanning;
using ScraperSky.Scanning.Domains;

namespace ScraperSky.Cli.Commands;

/// `scan <domain>`: one scan in this process with the server's scanner and settings (or on `--server`), printed as
/// a summary or as the v1 `metadata` JSON.
public static class ScanCommand
{
    public static Command Create(CliServices services)
    {
        var domain = new Argument<string>("domain") { Description = "The domain (or a URL: its host is scanned)" };
        var json = new Option<bool>("--json") { Description = "Print the v1 metadata JSON instead of a summary" };
        var maxPages = CommonOptions.MaxPages();
        var noSitemaps = new Option<bool>("--no-sitemaps") { Description = "Do not read the site's sitemaps" };
        var remote = new RemoteOptions();
        var command = new Command("scan", "Scan one domain and print what it found.\n" +
                                          "Example: scrapersky scan northwind-studio.test --json")
        {
            domain, json, maxPages, noSitemaps,
        };
        remote.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var input = parseResult.GetRequiredValue(domain);
            if (!DomainName.TryNormalize(input, out var normalized))
            {
                throw new CliException($"'{input}' is not a domain name (for example: example.com).");
            }

            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var pages = parseResult.GetValue(maxPages);
            var sitemaps = !parseResult.GetValue(noSitemaps);
            using var client = remote.Client(parseResult);
            string metadataJson;
            if (client is not null)
            {
                var jobId = await client.SubmitScanAsync(normalized, pages, sitemaps, cancellationToken);
                using var job = await client.WaitForJobAsync(jobId, cancellationToken);
                var root = job.RootElement;
                if (root.GetProperty("status").GetString() != "completed")
                {
                    var reason = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : "it was cancelled";
                    await error.WriteLineAsync($"The scan of {normalized} failed: {reason}");
                    return ExitCodes.SomeFailed;
                }

                metadataJson = root.GetProperty("metadata").GetRawText();
            }
            else
            {
                SiteMetadata scanned;
                try
                {
                    scanned = await services.RunAsync(migrateSqlite: false, provider =>
                        provider.GetRequiredService<IDomainScanner>().ScanAsync(
                            new ScanRequest { Domain = normalized, MaxPages = pages, IncludeSitemaps = sitemaps },
                            progress: null, cancellationToken), cancellationToken);
                }
                catch (ScanException e)
                {
                    await error.WriteLineAsync($"The scan of {normalized} failed: {e.Message}");
                    return ExitCodes.SomeFailed;
                }

                // The same serialiser the job store uses, so this is what `GET /api/v1/status/{id}` answers as metadata.
                metadataJson = JsonSerializer.Serialize(scanned, ScanJson.Options);
            }

            if (parseResult.GetValue(json))
            {
                await output.WriteLineAsync(metadataJson);
            }
            else
            {
                await ScanSummary.WriteAsync(output, normalized, JsonSerializer.Deserialize<SiteMetadata>(metadataJson, ScanJson.Options)!);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
