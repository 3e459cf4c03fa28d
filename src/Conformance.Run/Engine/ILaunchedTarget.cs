namespace Conformance.Harness.Engine;

/// <summary>A server the suite started itself (the embedded reference target, or a bundled real server); disposing it stops it.</summary>
public interface ILaunchedTarget : IAsyncDisposable
{
    Uri BaseUri { get; }

    /// <summary>What the suite knows the server to be, e.g. "Kestrel (ASP.NET Core 10.0.12)".</summary>
    string Identity { get; }

    /// <summary>The profile file that describes this server's roles.</summary>
    string ProfilePath { get; }

    /// <summary>With --tls: the PEM certificate the run trusts for this server (as --ca would); null over plain HTTP.</summary>
    string? TrustAnchorFile => null;

    /// <summary>
    /// With --tls, a plain-HTTP address of the same server when it has one (the reference target does), so a
    /// browser case can see what is sent over http; null otherwise.
    /// </summary>
    Uri? PlainBaseUri => null;
}
