using System.CommandLine;

namespace ScraperSky.Cli.Remote;

/// `--server URL` and `--api-key KEY` (or `SCRAPERSKY_SERVER` / `SCRAPERSKY_API_KEY`): a command that reads or
/// submits then goes through that server's HTTP API instead of the local database.
public sealed class RemoteOptions
{
    public Option<string?> Server { get; } = new("--server")
    {
        Description = "Use the ScraperSky server at this URL instead of the local database (env SCRAPERSKY_SERVER)",
        HelpName = "url",
    };

    public Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = "The API key to send to --server (env SCRAPERSKY_API_KEY)",
        HelpName = "key",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Server);
        command.Options.Add(ApiKey);
    }

    /// The API client when a server is named, else null (work locally).
    public ApiClient? Client(ParseResult parseResult)
    {
        var server = parseResult.GetValue(Server) ?? Environment.GetEnvironmentVariable("SCRAPERSKY_SERVER");
        if (string.IsNullOrWhiteSpace(server))
        {
            return null;
        }

        if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new CliException($"--server {server}: give the server's address as http://host:port or https://host.");
        }

        var key = parseResult.GetValue(ApiKey) ?? Environment.GetEnvironmentVariable("SCRAPERSKY_API_KEY");
        return new ApiClient(uri, string.IsNullOrWhiteSpace(key) ? null : key);
    }
}
