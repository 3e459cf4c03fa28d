using Conformance.Harness.Targets;

namespace Conformance.Harness.Engine;

/// <summary>The server under test: where it listens, the profile of its roles, and how it named itself.</summary>
public sealed record Target(Uri BaseUri, TargetProfile Profile)
{
    public string Host => BaseUri.Host;

    public int Port => BaseUri.Port;

    /// <summary>The Host header value / authority, e.g. "127.0.0.1:8080".</summary>
    public string Authority => BaseUri.IsDefaultPort ? BaseUri.Host : $"{BaseUri.Host}:{BaseUri.Port}";

    /// <summary>Parses a target URL; only plain http:// with a host is accepted (the suite speaks HTTP/1.1 over TCP).</summary>
    public static Uri ParseUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || string.IsNullOrEmpty(uri.Host))
            throw new ArgumentException($"the target must be an http:// URL with a host, e.g. http://127.0.0.1:8080, got \"{text}\"");
        if (uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query))
            throw new ArgumentException($"the target URL must not carry a path or query (roles come from the profile), got \"{text}\"");
        return uri;
    }
}
