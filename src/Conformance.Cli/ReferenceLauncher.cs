using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;
using Conformance.ReferenceServer;

namespace Conformance.Cli;

/// <summary>Starts the embedded reference target in-process on a free loopback port.</summary>
internal static class ReferenceLauncher
{
    public static async Task<ILaunchedTarget> StartAsync(CancellationToken ct)
    {
        var handle = await ReferenceServerApp.StartAsync(0, ct).ConfigureAwait(false);
        var profile = Path.Combine(RepoPaths.Targets(RepoPaths.Root()), "reference.json");
        return new LaunchedTarget(handle.BaseUri, handle.ServerIdentity, profile, handle.DisposeAsync);
    }
}
