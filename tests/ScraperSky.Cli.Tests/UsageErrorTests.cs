namespace ScraperSky.Cli.Tests;

/// Usage errors end with exit code 2 and one sentence on standard error, never a stack trace, and nothing on
/// standard output.
public sealed class UsageErrorTests(FleetFixture fixture) : IClassFixture<FleetFixture>, IAsyncLifetime
{
    private readonly CliWorkspace _workspace = new(fixture.Fleet);

    [Theory]
    [InlineData("--tenant 'nope' is not a tenant id", "keys", "create", "--tenant", "nope")]
    [InlineData("--concurrency 'zero' must be a whole number of 1 or more", "batch", "-", "--concurrency", "zero")]
    [InlineData("Unrecognized command or argument 'bogus'", "bogus")]
    [InlineData("File missing.csv does not exist.", "batch", "missing.csv")]
    [InlineData("--out results.txt: the file name must end in .csv, .xlsx or .jsonl.", "batch", "-", "--out", "results.txt")]
    [InlineData("'not a domain' is not a domain name", "scan", "not a domain")]
    [InlineData("Tenant 11111111-1111-1111-1111-111111111111 does not exist", "keys", "create", "--tenant", "11111111-1111-1111-1111-111111111111")]
    [InlineData("Batch batch_00000000000000000000000000000000 does not exist", "batch", "resume", "batch_00000000000000000000000000000000")]
    [InlineData("'job-1' is neither a batch id", "status", "job-1")]
    [InlineData("--since 'last week' is not an ISO 8601 date or time", "changes", "--since", "last week")]
    [InlineData("--type 'tech_churned' is not a change type: use one of tech_added,", "changes", "--type", "tech_churned")]
    [InlineData("--domain 'not a domain' is not a domain name", "changes", "--domain", "not a domain")]
    [InlineData("--out changes.txt: the file name must end in .csv, .xlsx or .jsonl.", "changes", "--out", "changes.txt")]
    public async Task A_usage_error_exits_2_with_one_sentence(string message, params string[] args)
    {
        var run = await _workspace.RunAsync(args);

        Assert.True(run.Code == 2, run.ToString());
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Output);
    }

    [Fact]
    public async Task A_file_without_a_domain_column_exits_2_saying_so()
    {
        var input = _workspace.PathOf("people.csv");
        await File.WriteAllTextAsync(input, "name,city\nAda,London\nGrace,Arlington\n", TestContext.Current.CancellationToken);

        var run = await _workspace.RunAsync("batch", input);

        Assert.True(run.Code == 2, run.ToString());
        Assert.StartsWith("people.csv: ", run.Error, StringComparison.Ordinal);
        Assert.Contains("domain", run.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Every_command_has_help_with_an_example()
    {
        foreach (var command in new[] { "scan", "batch", "batch resume", "status", "domains", "export", "changes", "tenants create", "tenants list", "keys create", "keys list", "keys revoke" })
        {
            var run = await _workspace.RunAsync([.. command.Split(' '), "--help"]);
            Assert.True(run.Code == 0, run.ToString());
            Assert.Contains("Example: scrapersky " + command, run.Output, StringComparison.Ordinal);
        }
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _workspace.DisposeAsync();
}
