using Conformance.Harness.Targets;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Engine;

/// <summary>The server under test: where it listens, the profile of its roles, and how it named itself.</summary>
/// <param name="Tls">How to speak TLS to it: set exactly when <paramref name="BaseUri"/> is https.</param>
public sealed record Target(Uri BaseUri, TargetProfile Profile, TlsClientOptions? Tls = null)
{
    public string Host => BaseUri.Host;

    public int Port => BaseUri.Port;

    /// <summary>The Host header value / authority, e.g. "127.0.0.1:8080".</summary>
    public string Authority => BaseUri.IsDefaultPort ? BaseUri.Host : $"{BaseUri.Host}:{BaseUri.Port}";

    public bool IsHttps => BaseUri.Scheme == Uri.UriSchemeHttps;

    /// <summary>
    /// For an https target, a plain-http address of the same server and host when the suite knows one (the
    /// reference server with --tls), so a browser case can see what goes over http; null otherwise.
    /// </summary>
    public Uri? PlainBaseUri { get; init; }

    /// <summary>Opens a raw connection to the target: plain TCP, or TLS for an https target.</summary>
    public Task<WireConnection> ConnectAsync(WireOptions wire, CancellationToken ct)
        => WireConnection.ConnectAsync(Host, Port, wire, ct, IsHttps ? Tls ?? TlsClientOptions.SystemTrust : null);

    /// <summary>
    /// Parses a target URL: http:// (HTTP/1.1 over TCP) or https:// (the same bytes over TLS), with a host and
    /// no path.
    /// </summary>
    public static Uri ParseUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || string.IsNullOrEmpty(uri.Host))
            throw new ArgumentException($"the target must be an http:// or https:// URL with a host, e.g. http://127.0.0.1:8080, got \"{text}\"");
        if (uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query))
            throw new ArgumentException($"the target URL must not carry a path or query (roles come from the profile), got \"{text}\"");
        return uri;
    }
}
