using System.Buffers;
using System.Text;
using ScraperSky.Scanning.Fetching;

namespace ScraperSky.Scanning.Tests.Fetching;

public sealed class PageTextTests
{
    [Fact]
    public void A_decoded_page_gives_its_buffer_back_to_the_pool_exactly_once_however_often_it_is_disposed()
    {
        var pool = new CountingPool();
        var page = PageText.Decode(Encoding.UTF8.GetBytes("<html><title>Grüße</title></html>"), "text/html; charset=utf-8", pool);

        Assert.Equal("<html><title>Grüße</title></html>", page.ToString());
        Assert.Equal(1, pool.Rented);
        Assert.Equal(0, pool.Returned);

        page.Dispose();
        page.Dispose();

        Assert.Equal(1, pool.Returned);
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
    public void A_body_of_only_a_byte_order_mark_rents_nothing()
    {
        var pool = new CountingPool();
        using var page = PageText.Decode([0xEF, 0xBB, 0xBF], null, pool);

        Assert.Equal(0, page.Length);
        Assert.Equal(0, pool.Rented);
    }

    [Fact]
    public void A_windows_1252_page_is_decoded_by_its_declared_charset_without_the_byte_order_mark_of_utf16()
    {
        using var latin = PageText.Decode([0x3C, 0x70, 0x3E, 0x80, 0xE9], "text/html; charset=iso-8859-1");
        using var utf16 = PageText.Decode([0xFF, 0xFE, (byte)'h', 0, (byte)'i', 0], null);

        Assert.Equal("<p>€é", latin.ToString());
        Assert.Equal("hi", utf16.ToString());
    }

    private sealed class CountingPool : ArrayPool<char>
    {
        public int Rented { get; private set; }

        public int Returned { get; private set; }

        public override char[] Rent(int minimumLength)
        {
            Rented++;
            return new char[minimumLength];
        }

        public override void Return(char[] array, bool clearArray = false) => Returned++;
    }
}
