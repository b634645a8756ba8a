using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ScraperSky.Testing.Fleet;

/// How the fleet's TLS listener treats a handshake for a host (its SNI name).
public enum TlsMode
{
    /// A certificate for the host issued by the fleet's CA.
    Trusted,

    /// The handshake is cut off: the host has no https.
    Refused,

    /// A self-signed certificate for the host, not from the fleet's CA.
    SelfSigned,

    /// A certificate from the fleet's CA that expired yesterday.
    Expired,

    /// A certificate from the fleet's CA for another name.
    WrongName,

    /// The connection is accepted and the handshake never answered.
    Hang,

    /// A certificate issued by an intermediate of the fleet's CA that the server leaves out of the handshake, naming
    /// where to download that intermediate in its AIA "CA Issuers" field (see <see cref="TestSiteFleet.SetCaIssuers"/>).
    MissingIntermediate,
}

/// The fleet's throwaway certificate authority, made in memory at fleet start, and the leaf certificates it issues
/// per host on first use (a wildcard covers one label only, and fleet hosts have any number).
public sealed class FleetCertificates : IDisposable
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    private readonly X509Certificate2 _authority;
    private readonly Lazy<X509Certificate2> _intermediate;
    private readonly ConcurrentDictionary<string, Uri> _caIssuers = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<(string Host, TlsMode Mode), Lazy<SslStreamCertificateContext>> _issued = new();
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    public FleetCertificates()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=ScraperSky Test Fleet CA, O=ScraperSky tests", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        _authority = request.CreateSelfSigned(_now.AddDays(-30), _now.AddDays(30));
        AuthorityPem = _authority.ExportCertificatePem();
        _intermediate = new Lazy<X509Certificate2>(IssueIntermediate);
    }

    /// The AIA "CA Issuers" URL written into the <see cref="TlsMode.MissingIntermediate"/> certificate of a host.
    public void SetCaIssuers(string host, Uri url) => _caIssuers[host] = url;

    /// The CA certificate (no key), for `Scanning:ExtraRootCertificates`.
    public string AuthorityPem { get; }

    public SslStreamCertificateContext For(string host, TlsMode mode) =>
        _issued.GetOrAdd((host, mode), key => new Lazy<SslStreamCertificateContext>(() => Issue(key.Host, key.Mode))).Value;

    private SslStreamCertificateContext Issue(string host, TlsMode mode)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var name = mode == TlsMode.WrongName ? "someone-else.test" : host;
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuthentication], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(name);
        request.CertificateExtensions.Add(names.Build());

        X509Certificate2 leaf;
        if (mode == TlsMode.SelfSigned)
        {
            leaf = request.CreateSelfSigned(_now.AddDays(-1), _now.AddDays(30));
        }
        else if (mode == TlsMode.MissingIntermediate)
        {
            var intermediate = _intermediate.Value;
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(intermediate, true, false));
            if (_caIssuers.TryGetValue(host, out var caIssuers))
            {
                request.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension(null, [caIssuers.AbsoluteUri]));
            }

            using var issued = request.Create(intermediate, _now.AddDays(-1), _now.AddDays(20), RandomNumberGenerator.GetBytes(16));
            leaf = issued.CopyWithPrivateKey(key);
        }
        else
        {
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_authority, true, false));
            var (notBefore, notAfter) = mode == TlsMode.Expired
                ? (_now.AddDays(-20), _now.AddDays(-1))
                : (_now.AddDays(-1), _now.AddDays(29));
            using var issued = request.Create(_authority, notBefore, notAfter, RandomNumberGenerator.GetBytes(16));
            leaf = issued.CopyWithPrivateKey(key);
        }

        // Offline: the leaf names no issuer to download and no revocation service to ask.
        return SslStreamCertificateContext.Create(leaf, null, offline: true);
    }

    private X509Certificate2 IssueIntermediate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=ScraperSky Test Fleet Intermediate, O=ScraperSky tests", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_authority, true, false));
        using var issued = request.Create(_authority, _now.AddDays(-10), _now.AddDays(25), RandomNumberGenerator.GetBytes(16));
        return issued.CopyWithPrivateKey(key);
    }

    public void Dispose()
    {
        _authority.Dispose();
        if (_intermediate.IsValueCreated)
        {
            _intermediate.Value.Dispose();
        }
    }
}
