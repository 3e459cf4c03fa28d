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
            var options = RunOptions.FromEnvironment(name => TestContext.Parameters.Get(name) ?? Environment.GetEnvironmentVariable(name));
            Func<CancellationToken, Task<ILaunchedTarget>>? start = null;
            if (options.TargetUrl is null && options.Server is null)
            {
                // The embedded reference server: Kestrel's log goes to the run folder, never to the test console.
                options = options with { OutputDirectory = options.OutputDirectory ?? BundledTargets.DefaultRunDirectory(BundledTargets.Reference) };
                start = StartReference(options.OutputDirectory);
            }
            // CONFORMANCE_SERVER=nginx|apache: the suite starts that server, its folder under the run's report folder.
            if (options.TargetUrl is null && options.Server is { } server)
            {
                BundledTargets.Validate(server, RunOptions.Env.Server, allowAll: false);
                options = options with { OutputDirectory = options.OutputDirectory ?? BundledTargets.DefaultRunDirectory(server) };
                start = BundledTargets.Starter(server, options.OutputDirectory, StartReference(options.OutputDirectory));
            }
            session = await RunSession.OpenAsync(options, start ?? StartReference(Path.GetTempPath()), TestContext.Progress.WriteLine, CancellationToken.None);
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
        var accept = Baselines.AcceptFromEnvironment(name => TestContext.Parameters.Get(name) ?? Environment.GetEnvironmentVariable(name));
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
        var result = session.Close(ReportWriters.All());
        if (result.Report is { } report) TestContext.Progress.WriteLine(ConsoleSummary.Render(report, result.ReportDirectory));
        if (result.ReportDirectory is { } dir && File.Exists(Path.Combine(dir, HtmlReportWriter.FileName)))
        {
            var skipped = await HtmlScreenshot.CaptureAsync(Path.Combine(dir, HtmlReportWriter.FileName), Path.Combine(dir, HtmlScreenshot.FileName));
            if (skipped is not null) TestContext.Progress.WriteLine(skipped);
        }
        await session.DisposeAsync();
        session = null;
        snapshots = null;
        scrubber = null;
    }

    /// <summary>Starts the reference server with Kestrel's log in &lt;runDirectory&gt;/server/logs/kestrel.log (as the CLI does).</summary>
    private static Func<CancellationToken, Task<ILaunchedTarget>> StartReference(string runDirectory) => async ct =>
    {
        var handle = await ReferenceServerApp.StartAsync(0, ct, logFile: Path.Combine(runDirectory, "server", "logs", "kestrel.log"));
        return new LaunchedTarget(handle.BaseUri, handle.ServerIdentity, Path.Combine(RepoPaths.Targets(RepoPaths.Root()), "reference.json"), handle.DisposeAsync);
    };
}
