using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ScraperSky.Cli.Output;
using ScraperSky.Cli.Remote;
using ScraperSky.Data;
using ScraperSky.Data.Changes;
using ScraperSky.Data.Spreadsheets;
using ScraperSky.Scanning.Domains;
using ScraperSky.Server.Changes;

namespace ScraperSky.Cli.Commands;

/// `changes`: the typed changes between consecutive scans, newest first, as `GET /api/v1/changes` lists them: a table,
/// or every matching change in a file with `--out`.
public static class ChangesCommand
{
    private static readonly string[] Shown = ["detected_at", "domain", "type", "field", "from", "to"];

    public static Command Create(CliServices services)
    {
        var domain = new Option<string?>("--domain") { Description = "Only this domain's changes", HelpName = "domain" };
        var type = new Option<string?>("--type") { Description = $"Only changes of this type: {string.Join(", ", ChangeTypes.All)}", HelpName = "type" };
        type.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && !ChangeTypes.All.Contains(value, StringComparer.Ordinal))
            {
                result.AddError($"--type '{value}' is not a change type: use one of {string.Join(", ", ChangeTypes.All)}");
            }
        });
        var since = new Option<DateTime?>("--since")
        {
            Description = "Only changes detected at or after this time (ISO 8601, e.g. 2026-01-31 or 2026-01-31T09:00:00Z; UTC unless an offset is given)",
            HelpName = "time",
            CustomParser = ParseSince,
        };
        var output = CommonOptions.Out("Write every matching change to this file; .csv, .xlsx or .jsonl (default: a table of the newest)");
        var limit = CommonOptions.PositiveInt("--limit", "The most rows of the table (default 100; --out writes them all)");
        var tenant = CommonOptions.Tenant("The tenant whose changes to list (local; default: local mode's tenant)");
        var remote = new RemoteOptions();
        var command = new Command("changes", "List what changed between consecutive scans of the domains, newest first.\n" +
                                             "Example: scrapersky changes --type tech_removed --since 2026-01-01 --out churn.csv")
        {
            domain, type, since, output, limit, tenant,
        };
        remote.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var results = parseResult.GetValue(output) is { } file ? ResultFile.Parse(file) : null;
            string? name = null;
            if (parseResult.GetValue(domain) is { } input)
            {
                name = DomainName.TryNormalize(input, out var normalized)
                    ? normalized
                    : throw new CliException($"--domain '{input}' is not a domain name (for example: example.com).");
            }

            var filter = new ChangeFilter { Domain = name, Type = parseResult.GetValue(type), Since = parseResult.GetValue(since) };
            var max = parseResult.GetValue(limit) ?? 100;
            var rows = new List<IReadOnlyList<string>>();
            using var client = remote.Client(parseResult);
            if (client is not null)
            {
                var query = Query(filter);
                if (results is not null)
                {
                    var path = $"/api/v1/changes?{DomainFilterOptions.QueryString([.. query, new("format", results.FormatName)])}";
                    await results.WriteAsync((stream, token) => client.DownloadAsync(path, stream, token), cancellationToken);
                }
                else
                {
                    var path = $"/api/v1/changes?{DomainFilterOptions.QueryString([.. query, new("format", "jsonl")])}";
                    await foreach (var row in client.ReadLinesAsync(path, cancellationToken))
                    {
                        rows.Add(Cells(row));
                        if (rows.Count == max)
                        {
                            break;
                        }
                    }
                }
            }
            else
            {
                await services.RunAsync(migrateSqlite: true, async provider =>
                {
                    var tenantId = await CliServices.TenantAsync(provider, parseResult.GetValue(tenant), cancellationToken);
                    var changes = ChangeSearch.Filter(provider.GetRequiredService<ScraperSkyDbContext>(), tenantId, filter);
                    if (results is not null)
                    {
                        var all = changes.AsAsyncEnumerable().Select(ChangeView.Of);
                        await results.WriteAsync((stream, token) => TableWriter.WriteAsync(stream, results.Format, ChangeView.Columns, all, token), cancellationToken);
                        return 0;
                    }

                    // Written as the JSON Lines export, so a row reads the same whether it came from here or a server.
                    var newest = changes.Take(max).AsAsyncEnumerable().Select(ChangeView.Of);
                    using var lines = new MemoryStream();
                    await TableWriter.WriteAsync(lines, TableFormat.Jsonl, ChangeView.Columns, newest, cancellationToken);
                    lines.Position = 0;
                    using var reader = new StreamReader(lines);
                    while (await reader.ReadLineAsync(cancellationToken) is { Length: > 0 } line)
                    {
                        using var json = JsonDocument.Parse(line);
                        rows.Add(Cells(json.RootElement));
                    }

                    return 0;
                }, cancellationToken);
            }

            if (results is not null)
            {
                if (results.Path is not null)
                {
                    await parseResult.InvocationConfiguration.Error.WriteLineAsync($"Wrote {results.Path}");
                }

                return ExitCodes.Success;
            }

            await RowTable.WriteAsync(parseResult.InvocationConfiguration.Output, Shown, rows);
            if (rows.Count == 0)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync("No changes match.");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// The filter as query parameters of `GET /api/v1/changes`.
    private static List<KeyValuePair<string, string>> Query(ChangeFilter filter)
    {
        var query = new List<KeyValuePair<string, string>>();
        if (filter.Domain is { } domain)
        {
            query.Add(new("domain", domain));
        }

        if (filter.Type is { } type)
        {
            query.Add(new("type", type));
        }

        if (filter.Since is { } since)
        {
            query.Add(new("since", since.ToString("O", CultureInfo.InvariantCulture)));
        }

        return query;
    }

    /// An ISO 8601 date or date and time; without an offset it is UTC, as the API reads it.
    private static DateTime? ParseSince(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (DateTimeOffset.TryParseExact(text, Formats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time.UtcDateTime;
        }

        result.AddError($"--since '{text}' is not an ISO 8601 date or time (for example 2026-01-31 or 2026-01-31T09:00:00Z)");
        return null;
    }

    private static readonly string[] Formats =
    [
        "yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd'T'HH:mmzzz", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-dd'T'HH:mm'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
    ];

    private static string[] Cells(JsonElement row) =>
        [.. Shown.Select(name => row.TryGetProperty(name, out var value) ? RowTable.Cell(value) : "")];
}
