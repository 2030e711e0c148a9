using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using XmppConf.Server.Logging;
using XmppConf.Server.Options;

namespace XmppConf.Server.Tls;

/// <summary>
/// Loads the configured certificate, or on first run makes a self-signed one for the domain so a
/// fresh machine serves TLS with no setup. Its SHA-256 fingerprint is logged so users can compare
/// it with what their client shows when it asks to accept the certificate.
/// </summary>
public sealed class ServerCertificateProvider
{
    private readonly Lazy<X509Certificate2> _certificate;

    public ServerCertificateProvider(IOptions<TlsOptions> tls, IOptions<ServerOptions> server, ILogger<ServerCertificateProvider> logger)
    {
        _certificate = new Lazy<X509Certificate2>(() => Load(tls.Value, server.Value.Domain, logger));
    }

    public X509Certificate2 Certificate => _certificate.Value;

    private static X509Certificate2 Load(TlsOptions tls, string domain, ILogger logger)
    {
        X509Certificate2 certificate;
        if (!string.IsNullOrEmpty(tls.CertificatePath))
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(tls.CertificatePath, tls.CertificatePassword);
            ServerLog.CertificateLoaded(logger, tls.CertificatePath, Fingerprint(certificate));
        }
        else if (File.Exists(tls.SelfSignedPath) && TryLoadSelfSigned(tls.SelfSignedPath, domain, out var existing))
        {
            certificate = existing;
            ServerLog.CertificateLoaded(logger, tls.SelfSignedPath, Fingerprint(certificate));
        }
        else
        {
            certificate = CreateSelfSigned(domain);
            var directory = Path.GetDirectoryName(Path.GetFullPath(tls.SelfSignedPath));
            if (directory is not null) Directory.CreateDirectory(directory);
            File.WriteAllBytes(tls.SelfSignedPath, certificate.Export(X509ContentType.Pkcs12));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(tls.SelfSignedPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            ServerLog.CertificateCreated(logger, tls.SelfSignedPath, domain, Fingerprint(certificate));
        }
        if (!certificate.HasPrivateKey)
        {
            throw new InvalidOperationException("Tls:CertificatePath: the certificate has no private key.");
        }
        return certificate;
    }

    /// <summary>A self-signed file made for another domain (a changed Server:Domain) is replaced.</summary>
    private static bool TryLoadSelfSigned(string path, string domain, out X509Certificate2 certificate)
    {
        certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password: null);
        if (certificate.MatchesHostname(domain) && certificate.NotAfter > DateTime.Now.AddDays(1)) return true;
        certificate.Dispose();
        return false;
    }

    public static X509Certificate2 CreateSelfSigned(string domain)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={domain}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(domain);
        // XEP-0045 rooms live on a subdomain; one certificate covers both.
        san.AddDnsName("*." + domain);
        if (domain == "localhost")
        {
            san.AddIpAddress(IPAddress.Loopback);
            san.AddIpAddress(IPAddress.IPv6Loopback);
        }
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
        // Round-trip through PKCS#12 so the key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), password: null);
    }

    public static string Fingerprint(X509Certificate2 certificate) =>
        Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256)).Chunk(2).Select(c => new string(c)).Aggregate((a, b) => a + ":" + b);
}
