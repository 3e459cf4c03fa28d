using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Reports;
using Conformance.Harness.Servers;
using Conformance.Harness.Snapshots;
using Conformance.ReferenceServer;

namespace Conformance.Suite;

/// <summary>
/// Opens one run for the whole assembly: target and profile from CONFORMANCE_* variables (or NUnit
/// parameters of the same names), a bundled server when CONFORMANCE_SERVER names one, the embedded reference
/// server when none is given. Writes the reports
/// when every case has run.
/// </summary>
[SetUpFixture]
public sealed class SuiteSetup
{
    private static RunSession? session;
    private static FileSnapshotStore? snapshots;
    private static SnapshotScrubber? scrubber;

    /// <summary>The profile's baseline store when reports/baselines/&lt;profile&gt;/ exists (or accepting); else null.</summary>
    public static (FileSnapshotStore Store, SnapshotScrubber Scrubber)? Snapshots => snapshots is null || scrubber is null ? null : (snapshots, scrubber);

    /// <summary>The open run. Set once before any case starts and only read afterwards.</summary>
    public static RunSession Session => session ?? throw new InvalidOperationException("the run is not open; SuiteSetup did not run");

    [OneTimeSetUp]
    public async Task OpenAsync()
    {
        try
        {
            // The same driver as `conformance run`: settings from the table (variables or NUnit parameters of the
            // same names), the profile checked, then the reference or CONFORMANCE_SERVER's bundled server started.
            session = await RunDriver.OpenAsync(Settings(), StartReference, TestContext.Progress.WriteLine, CancellationToken.None);
        }
        catch (UsageException e)
        {
            Assert.Fail($"the run cannot start: {e.Message}");
        }
        catch (ServerLaunchException e)
        {
            Assert.Fail($"the bundled server cannot start: {e.Message}");
        }
        if (session?.Unreachable is { } why) Assert.Fail(why);
        if (session is null) return;
        var accept = session.Options.Accept;
        var folder = Baselines.Folder(RepoPaths.Root(), session.Target.Profile.Name);
        // Filtered runs still verify the cases they run: each snapshot stands alone, unlike the CLI's whole-run gate.
        if (accept || Directory.Exists(folder))
        {
            snapshots = new FileSnapshotStore(folder, accept);
            scrubber = new SnapshotScrubber(Baselines.ContextFor(session.Target.BaseUri, session.Target.Profile));
        }
    }

    [OneTimeTearDown]
    public async Task CloseAsync()
    {
        if (session is null) return;
        // The ledger of verdicts is written once every case has verified its line: approved when accepting, else
        // a _verdicts.received.txt beside it when a line changed. Only a whole run may drop orphaned baselines.
        snapshots?.Complete([.. session.Cases.Select(c => c.Id)], wholeCatalog: session.Options.Filter is null && session.Options.Shard is null);
        var result = session.Close(ReportWriters.All());
        if (result.Report is { } report) TestContext.Progress.WriteLine(ConsoleSummary.Render(report, result.ReportDirectory));
        if (!session.Options.NoScreenshot) await RunDriver.ScreenshotAsync(result.ReportDirectory, session.Options.ChromiumPath, TestContext.Progress.WriteLine);
        await session.DisposeAsync();
        session = null;
        snapshots = null;
        scrubber = null;
    }

    /// <summary>The run's settings: each variable of RunSettingTable, from an NUnit parameter or the environment.</summary>
    public static RunOptions Settings() => RunOptions.FromEnvironment(name => TestContext.Parameters.Get(name) ?? Environment.GetEnvironmentVariable(name));

    /// <summary>The settings, or why they are unusable (for test discovery, which must not throw).</summary>
    public static (RunOptions? Options, string? Problem) TrySettings()
    {
        try
        {
            return (Settings(), null);
        }
        catch (UsageException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>Starts the reference server with Kestrel's log in &lt;runDirectory&gt;/server/logs/kestrel.log (as the CLI does).</summary>
    private static Func<CancellationToken, Task<ILaunchedTarget>> StartReference(string runDirectory, Func<RunCertificate>? tls) => async ct =>
    {
        var certificate = tls?.Invoke();
        var handle = await ReferenceServerApp.StartAsync(0, ct, logFile: Path.Combine(runDirectory, "server", "logs", "kestrel.log"), certificate: certificate?.Certificate);
        return new LaunchedTarget(handle.BaseUri, handle.ServerIdentity, Path.Combine(RepoPaths.Targets(RepoPaths.Root()), "reference.json"), Stop)
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
