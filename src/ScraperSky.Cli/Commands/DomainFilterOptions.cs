using System.CommandLine;
using ScraperSky.Data;
using ScraperSky.Data.Domains;
using ScraperSky.Data.Entities;

namespace ScraperSky.Cli.Commands;

/// The filters of `GET /api/v1/domains` as options: turned into a <see cref="DomainFilter"/> for the local database
/// or into the same query string for a server, so both answer alike.
public sealed class DomainFilterOptions
{
    private readonly Option<string?> _q = new("--q") { Description = "Text in the domain name or the title", HelpName = "text" };
    private readonly Option<string[]> _tech = new("--tech") { Description = "A technology (repeat: all must match)", HelpName = "name" };
    private readonly Option<string?> _category = new("--category") { Description = "A technology category", HelpName = "name" };
    private readonly Option<bool> _hasEmail = new("--has-email") { Description = "Only domains with an email address" };
    private readonly Option<bool> _hasPhone = new("--has-phone") { Description = "Only domains with a phone number" };
    private readonly Option<string?> _language = new("--language") { Description = "A language code, e.g. de", HelpName = "code" };
    private readonly Option<bool> _wordpress = new("--wordpress") { Description = "Only WordPress sites" };
    private readonly Option<string?> _status = new("--status") { Description = "The newest scan's outcome", HelpName = "completed|failed" };
    private readonly Option<string?> _sort = new("--sort")
    {
        Description = $"Order: {string.Join(", ", DomainSearch.SortNames.Keys)}",
        HelpName = "order",
    };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _q, _tech, _category, _hasEmail, _hasPhone, _language, _wordpress, _status, _sort })
        {
            command.Options.Add(option);
        }

        _status.AcceptOnlyFromAmong("completed", "failed");
        _sort.AcceptOnlyFromAmong([.. DomainSearch.SortNames.Keys]);
    }

    public bool Any(ParseResult parseResult) => Query(parseResult, null).Count > 0;

    public DomainFilter Filter(ParseResult parseResult, Guid? batchId) => new()
    {
        Text = parseResult.GetValue(_q),
        Technologies = parseResult.GetValue(_tech) ?? [],
        Category = parseResult.GetValue(_category),
        HasEmail = parseResult.GetValue(_hasEmail) ? true : null,
        HasPhone = parseResult.GetValue(_hasPhone) ? true : null,
        Language = parseResult.GetValue(_language),
        Wordpress = parseResult.GetValue(_wordpress) ? true : null,
        BatchId = batchId,
        Status = parseResult.GetValue(_status) is { } status ? Enum.Parse<JobStatus>(status, ignoreCase: true) : null,
    };

    public DomainSort Sort(ParseResult parseResult) =>
        parseResult.GetValue(_sort) is { } sort ? DomainSearch.SortNames[sort] : DomainSort.Domain;

    /// The same filters as query parameters of `GET /api/v1/domains`.
    public List<KeyValuePair<string, string>> Query(ParseResult parseResult, string? batchId)
    {
        var query = new List<KeyValuePair<string, string>>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                query.Add(new(name, value));
            }
        }

        Add("q", parseResult.GetValue(_q));
        foreach (var tech in parseResult.GetValue(_tech) ?? [])
        {
            Add("tech", tech);
        }

        Add("category", parseResult.GetValue(_category));
        Add("has_email", parseResult.GetValue(_hasEmail) ? "true" : null);
        Add("has_phone", parseResult.GetValue(_hasPhone) ? "true" : null);
        Add("language", parseResult.GetValue(_language));
        Add("wordpress", parseResult.GetValue(_wordpress) ? "true" : null);
        Add("status", parseResult.GetValue(_status));
        Add("sort", parseResult.GetValue(_sort));
        Add("batch_id", batchId);
        return query;
    }

    public static string QueryString(IEnumerable<KeyValuePair<string, string>> query) =>
        string.Join('&', query.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));

    public static Guid ParseBatch(string batchId) =>
        PublicIds.TryParse(batchId, BatchJob.PublicPrefix, out var id)
            ? id.Value
            : throw new CliException($"--batch {batchId} is not a batch id (batch_<32 hex digits>).");
}
