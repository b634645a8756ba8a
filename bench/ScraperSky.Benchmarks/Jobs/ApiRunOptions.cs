using ScraperSky.Benchmarks.Load;

namespace ScraperSky.Benchmarks.Jobs;

/// The switches of <see cref="ApiRun"/>, read and checked as <see cref="LoadRunOptions"/> reads its own; anything else
/// is an <see cref="ArgumentException"/> naming it.
internal sealed record ApiRunOptions
{
    public const string Usage =
        "usage: api-run [--domains 10000] [--rounds 5] [--status-seconds 5] [--provider sqlite|postgres] [--server path/ScraperSky.Server.dll]";

    public int Domains { get; init; } = 10_000;
    public int Rounds { get; init; } = 5;
    public int StatusSeconds { get; init; } = 5;
    public bool Postgres { get; init; }
    public string? ServerDll { get; init; }

    public static ApiRunOptions Parse(IReadOnlyList<string> args)
    {
        var options = new ApiRunOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            var value = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            options = name switch
            {
                "--domains" => options with { Domains = LoadRunOptions.Number(name, value, 1, 100_000) },
                "--rounds" => options with { Rounds = LoadRunOptions.Number(name, value, 1, 100) },
                "--status-seconds" => options with { StatusSeconds = LoadRunOptions.Number(name, value, 1, 600) },
                "--provider" => options with { Postgres = LoadRunOptions.IsPostgres(value) },
                "--server" => options with { ServerDll = LoadRunOptions.ExistingFile(name, value) },
                _ => throw new ArgumentException($"Unknown switch '{name}'."),
            };
        }

        return options;
    }
}
