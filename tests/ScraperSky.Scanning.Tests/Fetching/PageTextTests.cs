using System.Buffers;
using System.Text;
using ScraperSky.Scanning.Fetching;

namespace ScraperSky.Scanning.Tests.Fetching;

public sealed class PageTextTests
{
    [Fact]
    public void A_page_gives_its_buffers_back_to_their_pools_exactly_once_however_often_it_is_disposed()
    {
        var bodies = new CountingPool<byte>();
        var texts = new CountingPool<char>();
        var page = PageText.Decode(Encoding.UTF8.GetBytes("<html><title>Grüße</title></html>"), "text/html; charset=utf-8", bodies, texts);

        Assert.Equal("<html><title>Grüße</title></html>", page.ToString());
        Assert.Equal((1, 1), (bodies.Rented, texts.Rented));
        Assert.Equal((1, 0), (bodies.Returned, texts.Returned));

        page.Dispose();
        page.Dispose();

        Assert.Equal((1, 1), (bodies.Returned, texts.Returned));
    }

    [Fact]
    public void A_page_stays_bytes_until_its_text_is_first_read_and_then_gives_the_bytes_back()
    {
        var bodies = new CountingPool<byte>();
        var texts = new CountingPool<char>();
        using var page = PageText.Decode(Encoding.UTF8.GetBytes("<p>Grüße</p>"), null, bodies, texts);

        Assert.Equal(0, texts.Rented);

        Assert.Equal(12, page.Length);
        Assert.Equal((1, 1), (texts.Rented, bodies.Returned));
        Assert.Equal("<p>Grüße</p>", page.ToString());
        Assert.Equal(1, texts.Rented);
    }

    [Fact]
    public void A_page_disposed_before_it_was_read_gives_its_bytes_back_and_never_takes_a_text_buffer()
    {
        var bodies = new CountingPool<byte>();
        var texts = new CountingPool<char>();
        var page = PageText.Decode(Encoding.UTF8.GetBytes("<p>hello</p>"), null, bodies, texts);

        page.Dispose();

        Assert.Equal((1, 0), (bodies.Returned, texts.Rented));
        Assert.Throws<ObjectDisposedException>(() => page.CopyStart(new char[4]));
    }

    [Fact]
    public void A_utf8_page_is_decoded_without_counting_its_characters_first_into_a_buffer_of_its_byte_count()
    {
        var texts = new CountingPool<char>();
        var body = Encoding.UTF8.GetBytes("<p>Grüße 😀</p>");
        using var page = PageText.Decode(body, "text/html; charset=utf-8", new CountingPool<byte>(), texts);

        Assert.Equal("<p>Grüße 😀</p>", page.ToString());
        Assert.Equal(body.Length, texts.LastLength);
    }

    [Fact]
    public void Any_bytes_read_as_utf8_give_what_the_encoding_gives_invalid_sequences_included()
    {
        var random = new Random(3);
        byte[] pieces = [(byte)'a', (byte)'<', 0xC3, 0xBC, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80, 0x80, 0xBF, 0xC0, 0xFF, 0xED, 0xA0, 0x80];
        for (var i = 0; i < 2_000; i++)
        {
            var body = new byte[random.Next(1, 40)];
            for (var b = 0; b < body.Length; b++)
            {
                body[b] = pieces[random.Next(pieces.Length)];
            }

            if (body is [0xEF, 0xBB, 0xBF, ..])
            {
                continue;
            }

            using var page = PageText.Decode(body, "text/html; charset=utf-8");
            Assert.Equal(new UTF8Encoding(false).GetString(body), page.ToString());
        }
    }

    [Theory]
    [InlineData(0, "")]
    [InlineData(5, "<p>Gr")]
    [InlineData(7, "<p>Grüß")]
    [InlineData(100, "<p>Grüße</p>")]
    public void The_start_of_a_page_is_decoded_without_decoding_the_page(int room, string expected)
    {
        var texts = new CountingPool<char>();
        using var page = PageText.Decode(Encoding.UTF8.GetBytes("<p>Grüße</p>"), null, new CountingPool<byte>(), texts);
        var destination = new char[room];

        var written = page.CopyStart(destination);

        Assert.Equal(expected, new string(destination, 0, written));
        Assert.Equal(0, texts.Rented);
    }

    [Fact]
    public void The_start_of_a_page_already_read_is_its_text()
    {
        using var page = PageText.Decode([0xFF, 0xFE, (byte)'h', 0, (byte)'i', 0, (byte)'!', 0], null);
        _ = page.Length;
        var destination = new char[2];

        Assert.Equal(2, page.CopyStart(destination));
        Assert.Equal("hi", new string(destination));
    }

    [Fact]
    public void A_disposed_page_throws_instead_of_reading_a_buffer_another_page_may_use()
    {
        var page = PageText.Decode(Encoding.UTF8.GetBytes("<p>hello</p>"), null);
        var memory = page.Memory;
        page.Dispose();

        Assert.Equal(12, memory.Length);
        Assert.Throws<ObjectDisposedException>(() => page.Memory);
        Assert.Throws<ObjectDisposedException>(() => page.Span.Length);
        Assert.Throws<ObjectDisposedException>(() => page.ToString());
    }

    [Fact]
    public void A_page_that_is_already_a_string_is_read_under_the_same_rules()
    {
        var page = PageText.Of("<p>hello</p>");
        Assert.Equal(12, page.Length);

        page.Dispose();

        Assert.Throws<ObjectDisposedException>(() => page.Length);
    }

    [Fact]
    public void The_empty_page_is_shared_and_stays_readable_when_disposed()
    {
        PageText.Empty.Dispose();

        Assert.Equal(0, PageText.Empty.Length);
    }

    [Fact]
    public void A_body_of_only_a_byte_order_mark_gives_its_bytes_back_at_once_and_rents_no_text()
    {
        var bodies = new CountingPool<byte>();
        var texts = new CountingPool<char>();
        using var page = PageText.Decode([0xEF, 0xBB, 0xBF], null, bodies, texts);

        Assert.Equal(0, page.Length);
        Assert.Equal((1, 0), (bodies.Returned, texts.Rented));
    }

    [Fact]
    public void A_windows_1252_page_is_decoded_by_its_declared_charset_without_the_byte_order_mark_of_utf16()
    {
        using var latin = PageText.Decode([0x3C, 0x70, 0x3E, 0x80, 0xE9], "text/html; charset=iso-8859-1");
        using var utf16 = PageText.Decode([0xFF, 0xFE, (byte)'h', 0, (byte)'i', 0], null);

        Assert.Equal("<p>€é", latin.ToString());
        Assert.Equal("hi", utf16.ToString());
    }
}
