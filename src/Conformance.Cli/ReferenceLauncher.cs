using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;
using Conformance.ReferenceServer;

namespace Conformance.Cli;

/// <summary>Starts the embedded reference target in-process on a free loopback port.</summary>
internal static class ReferenceLauncher
{
    /// <summary>Kestrel's log, relative to the run folder: beside the bundled servers' server/logs/.</summary>
    public static readonly string LogFile = Path.Combine("server", "logs", "kestrel.log");

    /// <summary>A start delegate whose Kestrel log goes to &lt;runDirectory&gt;/server/logs/kestrel.log, never to the console.</summary>
    public static Func<CancellationToken, Task<ILaunchedTarget>> Starter(string runDirectory) => async ct =>
    {
        var handle = await ReferenceServerApp.StartAsync(0, ct, logFile: Path.Combine(runDirectory, LogFile)).ConfigureAwait(false);
        var profile = Path.Combine(RepoPaths.Targets(RepoPaths.Root()), "reference.json");
        return new LaunchedTarget(handle.BaseUri, handle.ServerIdentity, profile, handle.DisposeAsync);
    };
}
