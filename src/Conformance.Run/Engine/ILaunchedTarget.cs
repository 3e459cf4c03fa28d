namespace Conformance.Harness.Engine;

/// <summary>A server the suite started itself (the embedded reference target, or a bundled real server); disposing it stops it.</summary>
public interface ILaunchedTarget : IAsyncDisposable
{
    Uri BaseUri { get; }

    /// <summary>What the suite knows the server to be, e.g. "Kestrel (ASP.NET Core 10.0.12)".</summary>
    string Identity { get; }

    /// <summary>The profile file that describes this server's roles.</summary>
    string ProfilePath { get; }
}
