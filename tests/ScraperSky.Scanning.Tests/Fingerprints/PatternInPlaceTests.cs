using ScraperSky.Scanning.Fingerprints;

namespace ScraperSky.Scanning.Tests.Fingerprints;

/// A page's text is a pooled buffer, not a string: a pattern finds in it what it finds in the same text as a string
/// (place, version, anchors and look-arounds included) without copying the page.
public sealed class PatternInPlaceTests
{
    private static readonly string Page =
        new string('x', 3000) + " <script src=\"/wp-includes/js/jquery.min.js?ver=3.7.1\"></script> " + new string('y', 3000)
        + "<meta name=\"generator\" content=\"WordPress 6.4.3\" />end";

    [Theory]
    [InlineData("""/wp-includes/""")]
    [InlineData("""jquery\.min\.js\?ver=([\d.]+)\;version:\1""")]
    [InlineData("""(?<=src=")/wp-includes/js/jquery[^"]*ver=([\d.]+)\;version:\1""")]
    [InlineData("""content="WordPress ([\d.]+)"(?= />end$)\;version:\1""")]
    [InlineData("""^x+ <script\;version:found""")]
    [InlineData("""^y""")]
    [InlineData("""generator\b\;version:\0""")]
    public void A_pattern_finds_the_same_in_a_pooled_buffer_as_in_a_string(string raw)
    {
        var pattern = FingerprintPattern.Parse(raw);
        var asString = pattern.TryMatch(Page.AsMemory(), out var stringVersion, out var stringRange);

        var pooled = Page.ToCharArray().AsMemory();
        var inPlace = pattern.TryMatch(pooled, out var pooledVersion, out var pooledRange);

        Assert.Equal(asString, inPlace);
        Assert.Equal(stringVersion, pooledVersion);
        Assert.Equal(stringRange, pooledRange);
    }

    [Fact]
    public void A_slice_of_a_pooled_buffer_is_the_whole_input_for_anchors_as_a_string_slice_is()
    {
        var pattern = FingerprintPattern.Parse("""^var config = \{ver:"([\d.]+)"\;version:\1""");
        var text = "<script>var config = {ver:\"2.5\"}</script>";
        var slice = text.ToCharArray().AsMemory(8, text.Length - 17);

        Assert.True(pattern.TryMatch(text.AsMemory(8, text.Length - 17), out var fromString, out var stringRange));
        Assert.True(pattern.TryMatch(slice, out var fromBuffer, out var bufferRange));
        Assert.Equal("2.5", fromBuffer);
        Assert.Equal(fromString, fromBuffer);
        Assert.Equal(stringRange, bufferRange);
    }

    [Fact]
    public void Matching_a_pooled_page_does_not_copy_it_into_a_string()
    {
        var page = (new string('x', 500_000) + "<meta name=\"generator\" content=\"WordPress 6.4.3\" />").ToCharArray().AsMemory();
        var plain = FingerprintPattern.Parse("""content="WordPress""");
        var versioned = FingerprintPattern.Parse("""content="WordPress ([\d.]+)"\;version:\1""");
        plain.TryMatch(page, out _);
        versioned.TryMatch(page, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.True(plain.TryMatch(page, out _));
        Assert.True(versioned.TryMatch(page, out var version));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal("6.4.3", version);
        // A copy of the page would be a megabyte; the versioned match reads a window of about a kilobyte.
        Assert.True(allocated < 64 * 1024, $"{allocated} bytes allocated");
    }
}
