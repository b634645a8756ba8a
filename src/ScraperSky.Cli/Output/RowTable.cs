using System.Text.Json;
using Spectre.Console;

namespace ScraperSky.Cli.Output;

/// A list shown to a person: a drawn table on a terminal, tab-separated lines with a header elsewhere (for `cut`,
/// `sort` and spreadsheets).
public static class RowTable
{
    public static async Task WriteAsync(TextWriter output, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        if (Terminal.IsTerminal(output))
        {
            var table = new Table().Border(TableBorder.Rounded);
            foreach (var header in headers)
            {
                table.AddColumn(new TableColumn(Terminal.NoColor ? header : $"[bold]{Markup.Escape(header)}[/]"));
            }

            foreach (var row in rows)
            {
                table.AddRow([.. row.Select(cell => new Text(cell))]);
            }

            Terminal.For(output).Write(table);
            return;
        }

        await output.WriteLineAsync(string.Join('\t', headers));
        foreach (var row in rows)
        {
            await output.WriteLineAsync(string.Join('\t', row.Select(Flat)));
        }
    }

    /// A cell of an export's JSON Lines row as text: lists joined with "; ", as the CSV export spells them.
    public static string Cell(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Array => string.Join("; ", value.EnumerateArray().Select(Cell).Where(s => s.Length > 0)),
        _ => value.GetRawText(),
    };

    private static string Flat(string cell) => cell.Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');
}
