using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace ScraperSky.Cli.Commands;

/// Options several commands share, each with a message that says what a good value looks like.
public static class CommonOptions
{
    public static Option<int?> MaxPages() => PositiveInt("--max-pages", "The most pages to read per site (homepage included)");

    public static Option<int?> PositiveInt(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "n",
        CustomParser = result => ParsePositive(result, name),
    };

    /// `--tenant`: a tenant id (a UUID), with a message that says so rather than .NET's parse error.
    public static Option<Guid?> Tenant(string description, bool required = false) => new("--tenant")
    {
        Description = description,
        HelpName = "id",
        Required = required,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (Guid.TryParse(text, out var id))
            {
                return id;
            }

            result.AddError($"--tenant '{text}' is not a tenant id: give the UUID that 'scrapersky tenants list' shows");
            return null;
        },
    };

    public static Option<string?> Out(string description) => new("--out")
    {
        Description = description,
        HelpName = "file",
    };

    private static int? ParsePositive(ArgumentResult result, string name)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1)
        {
            return value;
        }

        result.AddError($"{name} '{text}' must be a whole number of 1 or more");
        return null;
    }
}
