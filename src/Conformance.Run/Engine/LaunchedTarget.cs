namespace Conformance.Harness.Engine;

/// <summary>A started server, described by its address and identity, stopped by the given delegate.</summary>
public sealed class LaunchedTarget(Uri baseUri, string identity, string profilePath, Func<ValueTask> stop) : ILaunchedTarget
{
    public Uri BaseUri { get; } = baseUri;
    public string Identity { get; } = identity;
    public string ProfilePath { get; } = profilePath;
    public string? TrustAnchorFile { get; init; }
    public Uri? PlainBaseUri { get; init; }

    public ValueTask DisposeAsync() => stop();
}
