using System.Security.Cryptography;
using System.Text;

namespace ScraperSky.Data.Tenancy;

/// API keys are random secrets shown once; only their SHA-256 (lower-case hex) is stored.
public static class ApiKeyHasher
{
    public const string Prefix = "ssk_";

    public static string Generate() => Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
