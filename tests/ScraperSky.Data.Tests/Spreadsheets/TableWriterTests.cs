using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using MiniExcelLibs;
using ScraperSky.Data.Spreadsheets;

namespace ScraperSky.Data.Tests.Spreadsheets;

public sealed class TableWriterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Company(string? Domain, long Employees, bool Active, DateTime ScannedAt, IReadOnlyList<string> Emails, double Score);

    private static readonly TableColumn<Company>[] Columns =
    [
        new("domain", c => c.Domain),
        new("employees", c => c.Employees),
        new("active", c => c.Active),
        new("scanned_at", c => c.ScannedAt),
        new("emails", c => c.Emails),
        new("score", c => c.Score),
    ];

    private static readonly Company[] Companies =
    [
        new("example.com", 12, true, new DateTime(2025, 2, 3, 4, 5, 6, DateTimeKind.Utc), ["a@example.com", "b@example.com"], 0.8),
        new("=HYPERLINK(\"http://evil\")", -5, false, new DateTime(2025, 2, 3, 4, 5, 6, 700, DateTimeKind.Utc), [], 1e21),
        new(null, 0, false, default, ["x,y"], -0.5),
    ];

    [Fact]
    public async Task Csv_is_rfc_4180_with_a_bom_crlf_doubled_quotes_iso_dates_and_joined_lists()
    {
        var text = await WriteCsvAsync(Columns, Companies);

        Assert.Equal(
            "\uFEFFdomain,employees,active,scanned_at,emails,score\r\n"
            + "example.com,12,true,2025-02-03T04:05:06Z,a@example.com; b@example.com,0.8\r\n"
            + "\"'=HYPERLINK(\"\"http://evil\"\")\",-5,false,2025-02-03T04:05:06.7Z,,1E+21\r\n"
            + ",0,false,0001-01-01T00:00:00Z,\"x,y\",-0.5\r\n",
            text);
    }

    [Theory]
    [InlineData("=1+2", "\"'=1+2\"")]
    [InlineData("+49 30 1234", "\"'+49 30 1234\"")]
    [InlineData("-cmd", "\"'-cmd\"")]
    [InlineData("@SUM(A1)", "\"'@SUM(A1)\"")]
    [InlineData("\t=1", "\"'\t=1\"")]
    [InlineData("\r=1", "\"'\r=1\"")]
    [InlineData("a=1", "a=1")]
    [InlineData("line\nbreak", "\"line\nbreak\"")]
    public async Task Csv_text_that_a_spreadsheet_would_run_as_a_formula_gets_a_leading_quote_mark(string value, string field)
    {
        var text = await WriteCsvAsync([new TableColumn<string>("v", v => v)], [value]);

        Assert.Equal($"\uFEFFv\r\n{field}\r\n", text);
    }

    [Fact]
    public async Task Csv_dates_with_an_offset_or_local_kind_are_written_in_utc()
    {
        var offset = new DateTimeOffset(2025, 2, 3, 6, 5, 6, TimeSpan.FromHours(2));
        var columns = new TableColumn<DateTimeOffset>[] { new("at", d => d), new("local", d => d.UtcDateTime.ToLocalTime()) };

        var text = await WriteCsvAsync(columns, [offset]);

        Assert.Equal("\uFEFFat,local\r\n2025-02-03T04:05:06Z,2025-02-03T04:05:06Z\r\n", text);
    }

    [Fact]
    public async Task Jsonl_is_one_object_per_line_with_the_given_names_and_typed_values()
    {
        using var output = new AsyncOnlyStream();
        await TableWriter.WriteAsync(output, TableFormat.Jsonl, Columns, ToAsync(Companies), Ct);

        var bytes = output.ToArray();
        Assert.NotEqual(0xEF, bytes[0]);
        var lines = Encoding.UTF8.GetString(bytes).Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.Equal("", lines[3]);
        Assert.Equal(
            """{"domain":"example.com","employees":12,"active":true,"scanned_at":"2025-02-03T04:05:06Z","emails":["a@example.com","b@example.com"],"score":0.8}""",
            lines[0]);
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal("=HYPERLINK(\"http://evil\")", second.RootElement.GetProperty("domain").GetString());
        Assert.Equal(-5, second.RootElement.GetProperty("employees").GetInt64());
        Assert.Equal(0, second.RootElement.GetProperty("emails").GetArrayLength());
        using var third = JsonDocument.Parse(lines[2]);
        Assert.Equal(JsonValueKind.Null, third.RootElement.GetProperty("domain").ValueKind);
    }

    [Fact]
    public async Task Jsonl_writes_non_ascii_text_as_itself_and_non_finite_numbers_as_strings()
    {
        using var output = new AsyncOnlyStream();
        var columns = new TableColumn<string>[] { new("name", s => s), new("ratio", _ => double.NaN) };

        await TableWriter.WriteAsync(output, TableFormat.Jsonl, columns, ToAsync(["Müller GmbH"]), Ct);

        Assert.Equal("{\"name\":\"Müller GmbH\",\"ratio\":\"NaN\"}\n", Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public async Task Xlsx_written_to_a_forward_only_async_stream_reads_back_with_miniexcel()
    {
        using var output = new AsyncOnlyStream();

        await TableWriter.WriteAsync(output, TableFormat.Xlsx, Columns, ToAsync(Companies), Ct);

        using var file = new MemoryStream(output.ToArray());
        var rows = MiniExcel.Query(file, useHeaderRow: true, excelType: ExcelType.XLSX)
            .Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(3, rows.Count);
        Assert.Equal(["domain", "employees", "active", "scanned_at", "emails", "score"], rows[0].Keys);
        Assert.Equal("example.com", rows[0]["domain"]);
        Assert.Equal(12.0, rows[0]["employees"]);
        Assert.Equal(true, rows[0]["active"]);
        Assert.Equal("2025-02-03T04:05:06Z", rows[0]["scanned_at"]);
        Assert.Equal("a@example.com; b@example.com", rows[0]["emails"]);
        Assert.Equal(0.8, rows[0]["score"]);
        // In a workbook a text cell is never a formula, so it keeps its text as it is.
        Assert.Equal("=HYPERLINK(\"http://evil\")", rows[1]["domain"]);
        Assert.Equal(-5.0, rows[1]["employees"]);
        Assert.Null(rows[2]["domain"]);
        file.Position = 0;
        using var zip = new ZipArchive(file, ZipArchiveMode.Read);
        using var sheet = new StreamReader(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open());
        Assert.DoesNotContain("<x:f>", await sheet.ReadToEndAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Xlsx_cells_longer_than_excel_allows_are_cut_to_its_limit()
    {
        using var output = new AsyncOnlyStream();
        var columns = new TableColumn<string>[] { new("text", s => s) };

        await TableWriter.WriteAsync(output, TableFormat.Xlsx, columns, ToAsync([new string('a', 40_000)]), Ct);

        using var file = new MemoryStream(output.ToArray());
        var row = MiniExcel.Query(file, useHeaderRow: true, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>().Single();
        Assert.Equal(32_767, ((string)row["text"]!).Length);
    }

    [Fact]
    public async Task Xlsx_of_100000_rows_streams_to_a_forward_only_stream_while_the_rows_are_still_being_read()
    {
        const int count = 100_000;
        using var output = new AsyncOnlyStream();
        long writtenAtHalfway = -1;
        var columns = new TableColumn<int>[]
        {
            new("domain", i => $"site{i}.example"),
            new("row", i => i),
            new("title", i => $"Company number {i}, a fine business"),
            new("emails", i => new[] { $"info@site{i}.example", $"sales@site{i}.example" }),
        };

        async IAsyncEnumerable<int> Rows([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            for (var i = 0; i < count; i++)
            {
                if (i == count / 2)
                {
                    // Give the copying side a moment, then see how much of the file has already left.
                    await Task.Delay(50, cancellationToken);
                    writtenAtHalfway = output.BytesWritten;
                }

                yield return i;
            }
        }

        await TableWriter.WriteAsync(output, TableFormat.Xlsx, columns, Rows(Ct), Ct);

        var total = output.BytesWritten;
        Assert.InRange(writtenAtHalfway, total / 4, total * 3 / 4);
        using var file = new MemoryStream(output.ToArray());
        var last = MiniExcel.Query(file, useHeaderRow: true, excelType: ExcelType.XLSX)
            .Cast<IDictionary<string, object?>>().Last();
        Assert.Equal("site99999.example", last["domain"]);
        Assert.Equal((double)(count - 1), last["row"]);
    }

    [Fact]
    public async Task A_row_source_that_fails_midway_through_an_xlsx_surfaces_its_error()
    {
        using var output = new AsyncOnlyStream();
        var columns = new TableColumn<int>[] { new("n", i => i) };

        async IAsyncEnumerable<int> Rows()
        {
            for (var i = 0; i < 10_000; i++)
            {
                await Task.Yield();
                yield return i == 5_000 ? throw new InvalidOperationException("The database went away.") : i;
            }
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => TableWriter.WriteAsync(output, TableFormat.Xlsx, columns, Rows(), Ct));
        Assert.Equal("The database went away.", error.Message);
    }

    [Fact]
    public async Task An_output_that_fails_midway_through_an_xlsx_stops_the_writer_with_that_error()
    {
        using var output = new AsyncOnlyStream(failAfterBytes: 100_000);
        var read = 0;
        var columns = new TableColumn<int>[] { new("n", i => i), new("text", i => $"row {i} with some text to fill the file") };

        async IAsyncEnumerable<int> Rows()
        {
            for (var i = 0; i < 1_000_000; i++)
            {
                read = i;
                await Task.Yield();
                yield return i;
            }
        }

        await Assert.ThrowsAsync<IOException>(() => TableWriter.WriteAsync(output, TableFormat.Xlsx, columns, Rows(), Ct));
        // The writer stopped reading soon after the output failed instead of running through every row.
        Assert.InRange(read, 1, 500_000);
    }

    [Theory]
    [InlineData("csv", new string[0], TableFormat.Csv)]
    [InlineData("XLSX", new string[0], TableFormat.Xlsx)]
    [InlineData("jsonl", new string[0], TableFormat.Jsonl)]
    [InlineData("json", new[] { "text/csv" }, null)]
    [InlineData(null, new[] { "text/csv" }, TableFormat.Csv)]
    [InlineData(null, new[] { "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }, TableFormat.Xlsx)]
    [InlineData(null, new[] { "application/x-ndjson" }, TableFormat.Jsonl)]
    [InlineData(null, new[] { "application/jsonl" }, TableFormat.Jsonl)]
    [InlineData(null, new[] { "application/json, text/csv;q=0.5" }, null)]
    [InlineData(null, new[] { "application/json;q=0.5", "text/csv" }, TableFormat.Csv)]
    [InlineData(null, new[] { "text/html" }, null)]
    [InlineData("", new string[0], null)]
    [InlineData(null, new string[0], null)]
    public void A_format_comes_from_the_query_first_then_from_accept(string? query, string[] accept, TableFormat? expected)
    {
        Assert.True(TableFormats.TryResolve(query, accept, out var format));
        Assert.Equal(expected, format);
    }

    [Theory]
    [InlineData("xls")]
    [InlineData("pdf")]
    public void An_unknown_format_value_is_refused(string query) =>
        Assert.False(TableFormats.TryResolve(query, ["text/csv"], out _));

    [Fact]
    public void Each_format_has_its_content_type_and_extension()
    {
        Assert.Equal("text/csv; charset=utf-8", TableFormat.Csv.ContentType());
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", TableFormat.Xlsx.ContentType());
        Assert.Equal("application/x-ndjson; charset=utf-8", TableFormat.Jsonl.ContentType());
        Assert.Equal([".csv", ".xlsx", ".jsonl"], new[] { TableFormat.Csv, TableFormat.Xlsx, TableFormat.Jsonl }.Select(f => f.FileExtension()));
    }

    private static async Task<string> WriteCsvAsync<T>(IReadOnlyList<TableColumn<T>> columns, IEnumerable<T> rows)
    {
        using var output = new AsyncOnlyStream();
        await TableWriter.WriteAsync(output, TableFormat.Csv, columns, ToAsync(rows), Ct);
        return new UTF8Encoding(false).GetString(output.ToArray());
    }

    internal static async IAsyncEnumerable<T> ToAsync<T>(IEnumerable<T> items)
    {
        foreach (var item in items)
        {
            await Task.Yield();
            yield return item;
        }
    }
}
