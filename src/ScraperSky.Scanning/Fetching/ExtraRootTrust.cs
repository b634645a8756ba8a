using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ScraperSky.Scanning.Fetching;

/// `Scanning:ExtraRootCertificates`: root certificates trusted beside the system's, for a corporate TLS proxy or a
/// private test CA. A server certificate is accepted when the system trusts it, or when it chains to one of these
/// roots with nothing else wrong: the name must still match, the dates must still hold, and it must be meant for
/// server authentication. Anything else is a failed handshake, which the fetcher answers by falling back to http.
public sealed class ExtraRootTrust
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    private readonly X509Certificate2Collection _roots;

    private ExtraRootTrust(X509Certificate2Collection roots) => _roots = roots;

    /// Null when no file is configured, so the system's validation runs untouched.
    public static ExtraRootTrust? Load(IReadOnlyCollection<string> pemFiles)
    {
        ArgumentNullException.ThrowIfNull(pemFiles);
        if (pemFiles.Count == 0)
        {
            return null;
        }

        var roots = new X509Certificate2Collection();
        foreach (var file in pemFiles)
        {
            var before = roots.Count;
            roots.ImportFromPemFile(file);
            if (roots.Count == before)
            {
                throw new InvalidOperationException($"Scanning:ExtraRootCertificates: {file} holds no PEM certificate.");
            }
        }

        return new ExtraRootTrust(roots);
    }

    public static bool IsReadable(string pemFile)
    {
        if (string.IsNullOrWhiteSpace(pemFile) || !File.Exists(pemFile))
        {
            return false;
        }

        try
        {
            var certificates = new X509Certificate2Collection();
            certificates.ImportFromPemFile(pemFile);
            return certificates.Count > 0;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// The policy of every chain the scanner builds: nothing is downloaded (no AIA "CA Issuers" fetch of a missing
    /// intermediate, no OCSP or CRL request). Those requests would be made by the runtime's own HTTP client, outside
    /// the address guard, to whatever address a hostile certificate names (cloud metadata included). A server that
    /// leaves out its intermediates fails the handshake, and the fetcher falls back to http as for any untrusted
    /// certificate.
    public static X509ChainPolicy OfflineChainPolicy() => new()
    {
        DisableCertificateDownloads = true,
        RevocationMode = X509RevocationMode.NoCheck,
    };

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        // Only an untrusted chain can be repaired by our roots; a wrong name or a missing certificate cannot.
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is not X509Certificate2 leaf)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy = OfflineChainPolicy();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_roots);
        custom.ChainPolicy.ApplicationPolicy.Add(ServerAuthentication);
        if (chain is not null)
        {
            // The intermediates the server sent, and any the system's attempt found.
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
            foreach (var element in chain.ChainElements.Skip(1))
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return custom.Build(leaf);
    }
}
