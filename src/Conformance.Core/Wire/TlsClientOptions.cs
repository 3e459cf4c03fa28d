using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Conformance.Harness.Wire;

/// <summary>
/// How the raw client speaks TLS to an https:// target: which certificates it trusts. The bytes of a case
/// are the same over TLS as over TCP; only the stream under them changes. SNI is the target's host name and
/// the only ALPN protocol offered is http/1.1, so a server that also speaks h2 still answers HTTP/1.1.
/// </summary>
public sealed record TlsClientOptions
{
    /// <summary>The only protocol offered by ALPN: the suite speaks HTTP/1.1 and nothing else.</summary>
    public static readonly SslApplicationProtocol Alpn = SslApplicationProtocol.Http11;

    /// <summary>Accept any certificate, unverified (--insecure): a self-signed test server whose certificate you do not have.</summary>
    public bool AcceptAnyCertificate { get; init; }

    /// <summary>The PEM file the anchors came from (--ca), for messages and the report.</summary>
    public string? TrustAnchorFile { get; init; }

    /// <summary>Where the anchors came from, in the report's words: "--ca", or the run's own certificate.</summary>
    public string TrustAnchorSource { get; init; } = "--ca";

    /// <summary>Certificates trusted as roots instead of the system store (--ca); null: the system store.</summary>
    public X509Certificate2Collection? TrustAnchors { get; init; }

    /// <summary>The system's trust store, names checked: what any https client does.</summary>
    public static TlsClientOptions SystemTrust { get; } = new();

    /// <summary>Any certificate accepted (--insecure).</summary>
    public static TlsClientOptions Insecure { get; } = new() { AcceptAnyCertificate = true };

    /// <summary>
    /// Trusts the certificates of a PEM file as roots (a self-signed server certificate, or the CA that issued
    /// it) instead of the system store. Throws <see cref="ArgumentException"/> naming the file when it is
    /// missing or holds no certificate.
    /// </summary>
    public static TlsClientOptions FromPemFile(string path, string source = "--ca")
    {
        ArgumentNullException.ThrowIfNull(path);
        var anchors = new X509Certificate2Collection();
        try
        {
            anchors.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new ArgumentException($"{source} {path}: cannot read a PEM certificate: {e.Message}", e);
        }
        if (anchors.Count == 0)
            throw new ArgumentException($"{source} {path}: the file holds no certificate (expected PEM: -----BEGIN CERTIFICATE-----)");
        return new TlsClientOptions { TrustAnchorFile = path, TrustAnchors = anchors, TrustAnchorSource = source };
    }

    /// <summary>How the certificate was judged, in the report's words.</summary>
    public string TrustDescription => AcceptAnyCertificate
        ? "not verified (--insecure)"
        : TrustAnchorFile is { } file ? $"verified against {Path.GetFileName(file)} ({TrustAnchorSource})" : "verified against the system trust store";

    /// <summary>
    /// Judges the server's certificate. Returns null when it is acceptable, else why not, in words a user can
    /// act on. The host name is always checked unless any certificate is accepted; --ca replaces only the roots.
    /// </summary>
    internal string? Judge(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (AcceptAnyCertificate) return null;
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable)) return "the server sent no certificate";
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var problems = new List<string>();
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            problems.Add($"it does not name the target host (subject {leaf.Subject}{SanText(leaf)})");
        if (TrustAnchors is null)
        {
            if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
                problems.Add($"it is not trusted by the system store ({ChainText(chain)}, issuer {leaf.Issuer})");
        }
        else
        {
            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.AddRange(TrustAnchors);
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            // Intermediates the server sent help the chain reach the anchor; they are never trusted themselves.
            if (chain is not null)
            {
                foreach (var element in chain.ChainElements) custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
            if (!custom.Build(leaf))
                problems.Add($"it does not chain to a certificate in {TrustAnchorFile} ({ChainText(custom)}, subject {leaf.Subject}, issuer {leaf.Issuer})");
        }
        return problems.Count == 0 ? null : "the server's certificate was refused: " + string.Join("; ", problems);
    }

    private static string ChainText(X509Chain? chain)
    {
        var statuses = chain?.ChainStatus.Select(s => s.Status.ToString()).Distinct().ToList() ?? [];
        return statuses.Count == 0 ? "no chain" : string.Join(", ", statuses);
    }

    private static string SanText(X509Certificate2 certificate)
    {
        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        if (san is null) return ", no subject alternative name";
        var names = san.EnumerateDnsNames().Concat(san.EnumerateIPAddresses().Select(a => a.ToString())).ToList();
        return $", names {string.Join(", ", names)}";
    }
}

/// <summary>What a TLS handshake settled: the facts a report records about an https target.</summary>
/// <param name="Protocol">e.g. "TLS 1.3".</param>
/// <param name="CipherSuite">IANA name, e.g. "TLS_AES_256_GCM_SHA384".</param>
/// <param name="Alpn">The protocol ALPN settled on ("http/1.1"), or null when the server ignored ALPN.</param>
/// <param name="ServerName">The SNI sent: the target's host name, or null for an IP address (RFC 6066 §3 allows no literal).</param>
/// <param name="CertificateSubject">The server certificate's subject, e.g. "CN=localhost".</param>
/// <param name="CertificateIssuer">Its issuer (the subject again when self-signed).</param>
/// <param name="CertificateNotAfter">When it expires.</param>
/// <param name="CertificateSha256">Its SHA-256 fingerprint, hex.</param>
/// <param name="Trust">How the certificate was judged (<see cref="TlsClientOptions.TrustDescription"/>).</param>
public sealed record TlsSessionInfo(string Protocol, string CipherSuite, string? Alpn, string? ServerName,
    string CertificateSubject, string CertificateIssuer, DateTimeOffset CertificateNotAfter, string CertificateSha256, string Trust)
{
    /// <summary>One line for a transcript note or a console line.</summary>
    public string Summary => $"{Protocol}, {CipherSuite}, ALPN {Alpn ?? "none"}, certificate {CertificateSubject}";
}
