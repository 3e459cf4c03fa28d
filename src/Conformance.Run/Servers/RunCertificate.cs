using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Conformance.Harness.Servers;

/// <summary>
/// A self-signed server certificate made for one run (--tls): for CN=localhost with the names 127.0.0.1,
/// ::1 and localhost, valid from an hour ago for two days. Its PEM files are written into the run folder
/// (server/tls/) so a bundled server can load them, and the run trusts exactly this certificate through
/// the same path as --ca: nothing is added to any system store, and nothing outlives the run's folder.
/// </summary>
public sealed class RunCertificate : IDisposable
{
    /// <summary>The folder under the run's server folder that holds cert.pem and key.pem.</summary>
    public const string Folder = "tls";

    private RunCertificate(X509Certificate2 certificate, string certificateFile, string keyFile)
    {
        Certificate = certificate;
        CertificateFile = certificateFile;
        KeyFile = keyFile;
    }

    /// <summary>The certificate with its private key, for an in-process server (Kestrel).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>cert.pem: the certificate alone; it is also the run's trust anchor.</summary>
    public string CertificateFile { get; }

    /// <summary>key.pem: its PKCS#8 private key (readable by the owner only).</summary>
    public string KeyFile { get; }

    /// <summary>Makes the certificate and writes cert.pem and key.pem into <paramref name="directory"/>.</summary>
    public static RunCertificate Create(string directory)
    {
        Directory.CreateDirectory(directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost, O=http11-conformance run certificate", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false)); // serverAuth
        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(now.AddHours(-1), now.AddDays(2));

        var certificateFile = Path.Combine(directory, "cert.pem");
        var keyFile = Path.Combine(directory, "key.pem");
        File.WriteAllText(certificateFile, created.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        // A certificate whose key was made in memory cannot serve TLS on every platform: a PKCS#12 round trip
        // gives it a key the TLS stack can use.
        var usable = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
        return new RunCertificate(usable, certificateFile, keyFile);
    }

    public void Dispose() => Certificate.Dispose();
}
