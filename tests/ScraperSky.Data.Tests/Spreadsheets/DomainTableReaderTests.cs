using System.IO.Compression;
using System.Text;
using ScraperSky.Data.Spreadsheets;

namespace ScraperSky.Data.Tests.Spreadsheets;

public sealed class DomainTableReaderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    static DomainTableReaderTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    [Theory]
    [InlineData(",")]
    [InlineData(";")]
    [InlineData("\t")]
    public async Task Comma_semicolon_and_tab_files_read_the_same(string delimiter)
    {
        var text = string.Join("\r\n", "Company,Website,City", "Acme,acme.com,Berlin", "\"Smith, Jones\",smith.example,Paris")
            .Replace(",", delimiter, StringComparison.Ordinal).Replace("\"Smith" + delimiter + " Jones\"", "\"Smith, Jones\"", StringComparison.Ordinal);

        var table = await ReadAsync(Encoding.UTF8.GetBytes(text));

        Assert.Equal(["Company", "Website", "City"], table.Headers);
        Assert.Equal(1, table.DomainColumnIndex);
        Assert.Equal([2, 3], table.Rows.Select(r => r.Row));
        Assert.Equal(["acme.com", "smith.example"], table.Rows.Select(r => r.Input));
        Assert.Equal(["Smith, Jones", "smith.example", "Paris"], table.Rows[1].Cells);
    }

    [Fact]
    public async Task Quoted_fields_keep_embedded_delimiters_quotes_and_line_breaks_and_rows_keep_their_numbers()
    {
        var text = "Name;Domain;Note\n\"A;B\";a.example;\"say \"\"hi\"\"\"\n\n\"multi\r\nline\";b.example;x\nlast;c.example;\n";

        var table = await ReadAsync(Encoding.UTF8.GetBytes(text));

        Assert.Equal(1, table.DomainColumnIndex);
        Assert.Equal([2, 4, 5], table.Rows.Select(r => r.Row));
        Assert.Equal(["A;B", "a.example", "say \"hi\""], table.Rows[0].Cells);
        Assert.Equal("multi\r\nline", table.Rows[1].Cells[0]);
        Assert.Equal(["last", "c.example", ""], table.Rows[2].Cells);
    }

    [Fact]
    public async Task Utf8_with_a_bom_utf16_and_windows_1252_all_read_mueller_gmbh()
    {
        const string text = "Firma;Webseite\r\nMüller GmbH;mueller.de\r\n";
        byte[][] files =
        [
            [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)],
            Encoding.UTF8.GetBytes(text),
            [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)],
            Encoding.GetEncoding(1252).GetBytes(text),
        ];

        foreach (var file in files)
        {
            var table = await ReadAsync(file);
            Assert.Equal(["Firma", "Webseite"], table.Headers);
            Assert.Equal(["Müller GmbH", "mueller.de"], table.Rows.Single().Cells);
        }
    }

    [Theory]
    [InlineData("Name,Homepage,Site\nA,x,a.example\n", 1)]
    [InlineData("Name,Company Website\nA,a.example\n", 1)]
    [InlineData("Name,site_web\nA,a.example\n", 1)]
    [InlineData("Name,Sitio Web\nA,a.example\n", 1)]
    [InlineData("Name,DOMAIN NAME\nA,a.example\n", 1)]
    public async Task The_domain_column_is_the_first_whose_header_reads_like_one(string text, int expected) =>
        Assert.Equal(expected, (await ReadAsync(Encoding.UTF8.GetBytes(text))).DomainColumnIndex);

    [Fact]
    public async Task Without_a_telling_header_the_column_whose_values_are_domains_is_chosen()
    {
        var text = "Company,Contact,Link\nAcme,jo@acme.com,https://www.acme.com/about\nBeta,al@beta.io,beta.io\nGamma,x@y.z,not a site\n";

        var table = await ReadAsync(Encoding.UTF8.GetBytes(text));

        Assert.Equal(2, table.DomainColumnIndex);
        Assert.Equal("https://www.acme.com/about", table.Rows[0].Input);
    }

    [Theory]
    [InlineData("link")]
    [InlineData("LINK")]
    [InlineData("3")]
    [InlineData("C")]
    [InlineData("c")]
    public async Task A_named_column_is_found_by_header_number_or_letter(string column)
    {
        var text = "Company,Website,Link\nAcme,acme.com,other.example\n";

        var table = await ReadAsync(Encoding.UTF8.GetBytes(text), column: column);

        Assert.Equal(2, table.DomainColumnIndex);
        Assert.Equal("other.example", table.Rows[0].Input);
    }

    [Fact]
    public async Task A_single_column_of_domains_without_a_header_reads_every_line_as_a_row()
    {
        var table = await ReadAsync(Encoding.UTF8.GetBytes("acme.com\r\nbeta.io\r\n\r\nnot a domain\r\n"));

        Assert.Equal(["domain"], table.Headers);
        Assert.Equal([1, 2, 4], table.Rows.Select(r => r.Row));
        Assert.Equal(["acme.com", "beta.io", "not a domain"], table.Rows.Select(r => r.Input));
    }

    [Fact]
    public async Task Invalid_domains_and_blank_domain_cells_stay_rows_for_the_caller_to_fail()
    {
        var table = await ReadAsync(Encoding.UTF8.GetBytes("Name,Website\nA,a.example\nB,localhost\nC,\nD,http://\n"));

        Assert.Equal(["a.example", "localhost", "", "http://"], table.Rows.Select(r => r.Input));
        Assert.Equal(["C", ""], table.Rows[2].Cells);
    }

    [Fact]
    public async Task Short_rows_are_padded_and_longer_ones_widen_the_headers()
    {
        var table = await ReadAsync(Encoding.UTF8.GetBytes("Name,Website\nA\nB,b.example,extra\nC,c.example,,\n"));

        Assert.Equal(["Name", "Website", "column_3"], table.Headers);
        Assert.Equal(["A", "", ""], table.Rows[0].Cells);
        Assert.Equal(["B", "b.example", "extra"], table.Rows[1].Cells);
        Assert.Equal(["C", "c.example", ""], table.Rows[2].Cells);
    }

    [Fact]
    public async Task An_xlsx_written_by_the_table_writer_reads_back_with_its_rows_and_columns()
    {
        var companies = new[] { ("Acme", "acme.com", 12L), ("Müller GmbH", "mueller.de", 4930123456L), ("Nobody", "", 0L) };
        var columns = new TableColumn<(string Name, string Site, long Phone)>[]
        {
            new("Company", c => c.Name), new("Website", c => c.Site), new("Phone", c => c.Phone),
        };
        using var output = new AsyncOnlyStream();
        await TableWriter.WriteAsync(output, TableFormat.Xlsx, columns, TableWriterTests.ToAsync(companies), Ct);

        // No .xlsx name: the zip signature decides.
        var table = await ReadAsync(output.ToArray(), fileName: "upload.bin");

        Assert.Equal(["Company", "Website", "Phone"], table.Headers);
        Assert.Equal(1, table.DomainColumnIndex);
        Assert.Equal([2, 3, 4], table.Rows.Select(r => r.Row));
        Assert.Equal(["Müller GmbH", "mueller.de", "4930123456"], table.Rows[1].Cells);
        Assert.Equal("", table.Rows[2].Input);
    }

    [Theory]
    [InlineData("Name,Website\nA,\"a.example\nB,b.example\n", "Line 2: a quoted field is not closed.")]
    [InlineData("Name,Website\n\"x\ny\",a.example\nB,\"b\"c\n", "Line 4, field 2: text follows the closing quote of a quoted field.")]
    [InlineData("", "The file is empty.")]
    [InlineData("\r\n  ,  \r\n", "The file is empty.")]
    [InlineData("Company,Website\n", "The file has a header row (Company, Website) but no rows below it.")]
    [InlineData("Company,City,Phone\nAcme,Berlin,123\n", "No column looks like domains: name a column with 'column' (the file has: Company, City, Phone).")]
    [InlineData("a\0b\0c", "The file is not a CSV or XLSX file: it holds binary data.")]
    public async Task A_malformed_file_is_an_error_that_says_what_and_where(string text, string message)
    {
        var error = await Assert.ThrowsAsync<DomainTableException>(() => ReadAsync(Encoding.UTF8.GetBytes(text)));

        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("Email", "The file has no column 'Email' (the file has: Company, Website).")]
    [InlineData("4", "The file has no column '4' (the file has: Company, Website).")]
    [InlineData("D", "The file has no column 'D' (the file has: Company, Website).")]
    public async Task A_column_that_does_not_exist_is_an_error_naming_the_columns_there_are(string column, string message)
    {
        var error = await Assert.ThrowsAsync<DomainTableException>(
            () => ReadAsync(Encoding.UTF8.GetBytes("Company,Website\nAcme,acme.com\n"), column: column));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task More_rows_than_the_limit_is_an_error_that_counts_them()
    {
        var text = "Website\n" + string.Concat(Enumerable.Range(0, 12_345).Select(i => $"site{i}.example\n"));

        var error = await Assert.ThrowsAsync<DomainTableException>(
            () => ReadAsync(Encoding.UTF8.GetBytes(text), maxRows: 10_000));

        Assert.Equal("The file has 12,345 rows; the limit is 10,000.", error.Message);
    }

    [Fact]
    public async Task Exactly_the_limit_is_allowed()
    {
        var text = "Website\n" + string.Concat(Enumerable.Range(0, 100).Select(i => $"site{i}.example\n"));

        Assert.Equal(100, (await ReadAsync(Encoding.UTF8.GetBytes(text), maxRows: 100)).Rows.Count);
    }

    [Fact]
    public async Task Unsupported_and_broken_spreadsheet_files_are_named_as_such()
    {
        byte[] xls = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
        byte[] brokenZip = [.. "PK\u0003\u0004"u8, .. new byte[100]];

        Assert.Equal("Old Excel files (.xls) are not supported: save the file as XLSX or CSV.",
            (await Assert.ThrowsAsync<DomainTableException>(() => ReadAsync(xls))).Message);
        Assert.Equal("The file starts like an XLSX workbook but is not a valid zip archive.",
            (await Assert.ThrowsAsync<DomainTableException>(() => ReadAsync(brokenZip))).Message);
        Assert.Equal("The file is named .xlsx but is not an XLSX workbook.",
            (await Assert.ThrowsAsync<DomainTableException>(() => ReadAsync("a.example"u8.ToArray(), fileName: "list.xlsx"))).Message);
        Assert.Equal("The file is a zip archive but not an XLSX workbook.",
            (await Assert.ThrowsAsync<DomainTableException>(() => ReadAsync(Zip(("readme.txt", 10))))).Message);
    }

    [Fact]
    public async Task A_workbook_that_unpacks_beyond_the_cap_is_refused_before_it_is_parsed()
    {
        var bomb = Zip(("xl/workbook.xml", 10), ("xl/worksheets/sheet1.xml", 300L * 1024 * 1024));

        var error = await Assert.ThrowsAsync<DomainTableException>(() => ReadAsync(bomb));

        Assert.Equal("The XLSX file unpacks to 300 MiB; the limit is 256 MiB.", error.Message);
        Assert.True(bomb.Length < 2 * 1024 * 1024);
    }

    [Fact]
    public async Task A_file_larger_than_the_upload_cap_is_refused_without_reading_it_all()
    {
        using var huge = new EndlessStream();

        var error = await Assert.ThrowsAsync<DomainTableException>(
            () => DomainTableReader.ReadAsync(huge, "big.csv", null, 10_000, Ct));

        Assert.Equal("The file is larger than 64 MiB.", error.Message);
        Assert.InRange(huge.BytesRead, DomainTableReader.MaxFileBytes, DomainTableReader.MaxFileBytes + 1024 * 1024);
    }

    private static async Task<DomainTable> ReadAsync(byte[] file, string? fileName = "list.csv", string? column = null, int maxRows = 10_000)
    {
        using var content = new MemoryStream(file);
        return await DomainTableReader.ReadAsync(content, fileName, column, maxRows, Ct);
    }

    private static byte[] Zip(params (string Name, long Zeros)[] entries)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            var chunk = new byte[1024 * 1024];
            foreach (var (name, zeros) in entries)
            {
                using var entry = zip.CreateEntry(name, CompressionLevel.SmallestSize).Open();
                for (var left = zeros; left > 0; left -= chunk.Length)
                {
                    entry.Write(chunk, 0, (int)Math.Min(left, chunk.Length));
                }
            }
        }

        return output.ToArray();
    }

    private sealed class EndlessStream : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            buffer.AsSpan(offset, count).Fill((byte)'a');
            BytesRead += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
