using Conformance.Harness.Engine;

namespace Conformance.Harness.Servers;

/// <summary>A bundled server the suite started; disposing it stops it by its pid (clean signal, then kill, bounded).</summary>
public sealed class RunningServer : ILaunchedTarget, IMonitoredTarget
{
    private readonly ServerProcess process;
    private readonly string stopSignal;
    private readonly TimeSpan stopTimeout;
    private int stopping;

    internal RunningServer(BundledServer server, ServerProcess process, int port, string identity, string runDirectory, string stopSignal, TimeSpan stopTimeout, RunCertificate? tls = null)
    {
        Name = server.Name;
        this.process = process;
        this.stopSignal = stopSignal;
        this.stopTimeout = stopTimeout;
        Port = port;
        Identity = identity;
        RunDirectory = runDirectory;
        ProfilePath = server.ProfilePath;
        BaseUri = new Uri($"{(tls is null ? "http" : "https")}://127.0.0.1:{port}/");
        TrustAnchorFile = tls?.CertificateFile;
    }

    public string? TrustAnchorFile { get; }

    public string Name { get; }
    public Uri BaseUri { get; }
    public int Port { get; }
    public string Identity { get; }
    public string ProfilePath { get; }

    /// <summary>The server's folder: rendered config, site copy, logs/, pid file.</summary>
    public string RunDirectory { get; }

    public int ProcessId => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>Completes when the server's process exits, for whatever reason.</summary>
    public Task Exited => process.Exited;

    public string? ExitReport => Volatile.Read(ref stopping) == 0 && process.HasExited
        ? $"{Name} (pid {process.Id}) exited with code {process.ExitCode} during the run.{Environment.NewLine}{ServerLogs.Tail(RunDirectory)}"
        : null;

    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref stopping, 1) != 0) return;
        await process.StopAsync(stopSignal, stopTimeout).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync().ConfigureAwait(false);
        }
        finally
        {
            if (process.HasExited) process.Dispose();
        }
    }
}
