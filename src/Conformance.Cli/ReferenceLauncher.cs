using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Servers;
using Conformance.ReferenceServer;

namespace Conformance.Cli;

/// <summary>Starts the embedded reference target in-process on a free loopback port.</summary>
internal static class ReferenceLauncher
{
    /// <summary>Kestrel's log, relative to the run folder: beside the bundled servers' server/logs/.</summary>
    public static readonly string LogFile = Path.Combine("server", "logs", "kestrel.log");

    /// <summary>A start delegate whose Kestrel log goes to &lt;runDirectory&gt;/server/logs/kestrel.log, never to the console.</summary>
    /// <remarks>With <paramref name="tls"/> Kestrel serves HTTPS with the run's certificate, which the run then trusts (as --ca).</remarks>
    public static Func<CancellationToken, Task<ILaunchedTarget>> Starter(string runDirectory, Func<RunCertificate>? tls) => async ct =>
    {
        var certificate = tls?.Invoke();
        var handle = await ReferenceServerApp.StartAsync(0, ct, logFile: Path.Combine(runDirectory, LogFile), certificate: certificate?.Certificate).ConfigureAwait(false);
        var profile = Path.Combine(RepoPaths.Targets(RepoPaths.Root()), "reference.json");
        return new LaunchedTarget(handle.BaseUri, handle.ServerIdentity, profile, Stop)
        {
            TrustAnchorFile = certificate?.CertificateFile,
            PlainBaseUri = handle.PlainBaseUri,
        };

        // Kestrel serves with the certificate object itself: it is disposed only once the server has stopped.
        async ValueTask Stop()
        {
            await handle.DisposeAsync().ConfigureAwait(false);
            certificate?.Dispose();
        }
    };
}
