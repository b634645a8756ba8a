using System.Text.RegularExpressions;

namespace ScraperSky.Ui.Tests;

/// The page asks for every module of the UI at once: a module the router imports only after app.js has run (a page's
/// module, the shared tables) is fetched a round trip later unless `index.html` names it in a `modulepreload`.
public sealed partial class ModulePreloadTests
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "wwwroot");

    [Fact]
    public void Index_html_preloads_every_module_in_wwwroot_and_nothing_that_is_missing()
    {
        var index = File.ReadAllText(Path.Combine(Root, "index.html"));
        var entry = EntryScript().Match(index).Groups["src"].Value;
        var preloaded = Preload().Matches(index).Select(m => m.Groups["href"].Value).ToList();
        var modules = Directory.EnumerateFiles(Path.Combine(Root, "js"), "*.js", SearchOption.AllDirectories)
            .Select(f => "/" + Path.GetRelativePath(Root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal("/js/app.js", entry);
        Assert.Equal(preloaded.Count, preloaded.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(modules, preloaded.Append(entry).Order(StringComparer.Ordinal));
        Assert.Contains("/js/pages/changes.js", modules);
    }

    [GeneratedRegex("""<script type="module" src="(?<src>[^"]+)"></script>""")]
    private static partial Regex EntryScript();

    [GeneratedRegex("""<link rel="modulepreload" href="(?<href>[^"]+)">""")]
    private static partial Regex Preload();
}
