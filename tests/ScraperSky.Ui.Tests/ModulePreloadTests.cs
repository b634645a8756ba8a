using System.Text.RegularExpressions;

namespace ScraperSky.Ui.Tests;

/// The page asks for the UI's shared modules beside app.js: one that only app.js or a page module imports is otherwise
/// fetched a round trip later. A page's own module is not preloaded: the router imports the one a route needs, and
/// preloading all of them compiled every page on every load (measured slower).
public sealed partial class ModulePreloadTests
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "wwwroot");

    [Fact]
    public void Index_html_preloads_every_shared_module_and_no_page_module()
    {
        var index = File.ReadAllText(Path.Combine(Root, "index.html"));
        var entry = EntryScript().Match(index).Groups["src"].Value;
        var preloaded = Preload().Matches(index).Select(m => m.Groups["href"].Value).ToList();
        var modules = Directory.EnumerateFiles(Path.Combine(Root, "js"), "*.js", SearchOption.TopDirectoryOnly)
            .Select(f => "/" + Path.GetRelativePath(Root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal("/js/app.js", entry);
        Assert.Equal(preloaded.Count, preloaded.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(modules, preloaded.Append(entry).Order(StringComparer.Ordinal));
        Assert.Contains("/js/changes.js", modules);
        Assert.DoesNotContain(preloaded, href => href.StartsWith("/js/pages/", StringComparison.Ordinal));
        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(Root, "js", "pages"), "*.js"));
    }

    [GeneratedRegex("""<script type="module" src="(?<src>[^"]+)"></script>""")]
    private static partial Regex EntryScript();

    [GeneratedRegex("""<link rel="modulepreload" href="(?<href>[^"]+)">""")]
    private static partial Regex Preload();
}
