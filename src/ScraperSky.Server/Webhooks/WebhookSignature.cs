using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ScraperSky.Server.Webhooks;

/// `ScraperSky-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. The timestamp is signed with
/// the body so a receiver can refuse an old request replayed.
public static class WebhookSignature
{
    public const string Header = "ScraperSky-Signature";
    public const string EventHeader = "ScraperSky-Event";

    public static string Compute(string secret, long unixSeconds, string body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(body);
        var t = unixSeconds.ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{body}"));
        return $"t={t},v1={Convert.ToHexStringLower(mac)}";
    }

    /// A new secret: 32 random bytes, hex.
    public static string NewSecret() => "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
