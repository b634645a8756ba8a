namespace ScraperSky.Server.Images;

/// The image formats served back, each recognised by its first bytes; the content type sent is ours, never the
/// site's, so a page served as `image/png` cannot reach the browser as HTML.
public sealed record ImageKind(string ContentType)
{
    public static readonly ImageKind Png = new("image/png");
    public static readonly ImageKind Jpeg = new("image/jpeg");
    public static readonly ImageKind Gif = new("image/gif");
    public static readonly ImageKind Webp = new("image/webp");
    public static readonly ImageKind Icon = new("image/x-icon");
    public static readonly ImageKind Bmp = new("image/bmp");
    public static readonly ImageKind Avif = new("image/avif");
    public static readonly ImageKind Svg = new("image/svg+xml");

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] JpegSignature = [0xFF, 0xD8, 0xFF];
    private static readonly byte[] IconSignature = [0x00, 0x00, 0x01, 0x00];

    public bool IsSvg => ReferenceEquals(this, Svg);

    /// The kind of image the bytes hold, or null when they are not one we serve. SVG is text: it counts when the site
    /// says it is SVG, or when the document's first element is `<svg`.
    public static ImageKind? Sniff(ReadOnlySpan<byte> bytes, string? declaredType)
    {
        if (bytes.StartsWith(PngSignature))
        {
            return Png;
        }

        if (bytes.StartsWith(JpegSignature))
        {
            return Jpeg;
        }

        if (bytes.StartsWith("GIF87a"u8) || bytes.StartsWith("GIF89a"u8))
        {
            return Gif;
        }

        if (bytes.Length >= 12 && bytes.StartsWith("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8))
        {
            return Webp;
        }

        if (bytes.StartsWith(IconSignature))
        {
            return Icon;
        }

        if (bytes.StartsWith("BM"u8) && bytes.Length > 14)
        {
            return Bmp;
        }

        if (bytes.Length >= 12 && bytes[4..8].SequenceEqual("ftyp"u8) && (bytes[8..12].SequenceEqual("avif"u8) || bytes[8..12].SequenceEqual("avis"u8)))
        {
            return Avif;
        }

        return LooksLikeSvg(bytes, declaredType) ? Svg : null;
    }

    private static bool LooksLikeSvg(ReadOnlySpan<byte> bytes, string? declaredType)
    {
        var head = System.Text.Encoding.UTF8.GetString(bytes[..Math.Min(bytes.Length, 1024)]).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (!head.StartsWith('<'))
        {
            return false;
        }

        if (declaredType?.Contains("svg", StringComparison.OrdinalIgnoreCase) == true)
        {
            return head.Contains("<svg", StringComparison.OrdinalIgnoreCase);
        }

        // Without the site's word for it, the root element must be svg: an XML declaration, comments or a doctype may
        // come first, an HTML page that merely holds an inline <svg> does not count.
        var root = head.IndexOf("<svg", StringComparison.OrdinalIgnoreCase);
        var html = head.IndexOf("<html", StringComparison.OrdinalIgnoreCase);
        return root >= 0 && (html < 0 || html > root);
    }
}
