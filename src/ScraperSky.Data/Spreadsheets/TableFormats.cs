using System.Net.Http.Headers;

namespace ScraperSky.Data.Spreadsheets;

/// Which table format a request asks for, and how each is labelled on the wire.
public static class TableFormats
{
    public const string CsvMediaType = "text/csv";
    public const string XlsxMediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string JsonlMediaType = "application/x-ndjson";
    private const string JsonlAlternativeMediaType = "application/jsonl";

    /// The format a request wants: its `format` query value (`csv`, `xlsx`, `jsonl`, or `json`) wins over its
    /// `Accept` headers. `format` is null when the answer is the endpoint's usual JSON. False only for a `format`
    /// value that names no format, so the endpoint can answer 400; an `Accept` with nothing we know means JSON.
    public static bool TryResolve(string? query, IEnumerable<string> acceptHeaders, out TableFormat? format)
    {
        ArgumentNullException.ThrowIfNull(acceptHeaders);
        format = null;
        if (!string.IsNullOrWhiteSpace(query))
        {
            switch (query.Trim().ToLowerInvariant())
            {
                case "csv":
                    format = TableFormat.Csv;
                    return true;
                case "xlsx":
                    format = TableFormat.Xlsx;
                    return true;
                case "jsonl" or "ndjson":
                    format = TableFormat.Jsonl;
                    return true;
                case "json":
                    return true;
                default:
                    return false;
            }
        }

        format = FromAccept(acceptHeaders);
        return true;
    }

    public static string ContentType(this TableFormat format) => format switch
    {
        TableFormat.Csv => CsvMediaType + "; charset=utf-8",
        TableFormat.Xlsx => XlsxMediaType,
        TableFormat.Jsonl => JsonlMediaType + "; charset=utf-8",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    public static string FileExtension(this TableFormat format) => format switch
    {
        TableFormat.Csv => ".csv",
        TableFormat.Xlsx => ".xlsx",
        TableFormat.Jsonl => ".jsonl",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    // The most preferred media type we know decides (the first on a tie); JSON or */* preferred means JSON.
    private static TableFormat? FromAccept(IEnumerable<string> acceptHeaders)
    {
        TableFormat? best = null;
        var bestQuality = 0.0;
        foreach (var header in acceptHeaders)
        {
            if (string.IsNullOrEmpty(header))
            {
                continue;
            }

            foreach (var item in header.Split(','))
            {
                if (!MediaTypeWithQualityHeaderValue.TryParse(item.Trim(), out var media) || media.MediaType is null)
                {
                    continue;
                }

                var quality = media.Quality ?? 1.0;
                if (quality <= bestQuality)
                {
                    continue;
                }

                TableFormat? candidate;
                switch (media.MediaType.ToLowerInvariant())
                {
                    case CsvMediaType:
                        candidate = TableFormat.Csv;
                        break;
                    case XlsxMediaType:
                        candidate = TableFormat.Xlsx;
                        break;
                    case JsonlMediaType or JsonlAlternativeMediaType:
                        candidate = TableFormat.Jsonl;
                        break;
                    case "application/json" or "*/*":
                        candidate = null;
                        break;
                    default:
                        continue;
                }

                best = candidate;
                bestQuality = quality;
            }
        }

        return best;
    }
}
