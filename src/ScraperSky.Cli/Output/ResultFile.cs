using ScraperSky.Data.Spreadsheets;

namespace ScraperSky.Cli.Output;

/// Where `--out` sends a list: a file whose extension names the format (.csv, .xlsx, .jsonl), or CSV on standard
/// output when no file is named. A file is written beside its final name and moved there when complete, so an
/// interrupted run never leaves half a file under that name.
public sealed class ResultFile
{
    private ResultFile(string? path, TableFormat format)
    {
        Path = path;
        Format = format;
    }

    public string? Path { get; }

    public TableFormat Format { get; }

    public static ResultFile Parse(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return new ResultFile(null, TableFormat.Csv);
        }

        var format = System.IO.Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" => TableFormat.Csv,
            ".xlsx" => TableFormat.Xlsx,
            ".jsonl" or ".ndjson" => TableFormat.Jsonl,
            _ => throw new CliException($"--out {path}: the file name must end in .csv, .xlsx or .jsonl."),
        };
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null && !Directory.Exists(directory))
        {
            throw new CliException($"--out {path}: the folder {directory} does not exist.");
        }

        return new ResultFile(path, format);
    }

    /// The format's name as the API's `format` parameter spells it.
    public string FormatName => Format.FileExtension().TrimStart('.');

    public async Task WriteAsync(Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        if (Path is null)
        {
            await using var stdout = Console.OpenStandardOutput();
            await write(stdout, cancellationToken);
            await stdout.FlushAsync(cancellationToken);
            return;
        }

        var partial = Path + ".partial";
        try
        {
            await using (var file = File.Create(partial))
            {
                await write(file, cancellationToken);
            }

            File.Move(partial, Path, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }
}
