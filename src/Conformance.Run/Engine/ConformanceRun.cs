using System.Collections.Concurrent;
using System.Globalization;
using Conformance.Harness.Browser;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Model;
using Conformance.Harness.Reports;
using Conformance.Harness.Targets;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Engine;

/// <summary>Documented exit codes of a run (README, "Exit codes").</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int ConformanceFailures = 1;
    public const int BadUsage = 2;
    public const int TargetOrHarness = 3;
}

/// <summary>What a run produced: its exit code, its report (when one was made) and where it was written.</summary>
public sealed record RunResult(int ExitCode, RunReport? Report, string? ReportDirectory, string? Message);

/// <summary>
/// One run from start to end, the same for both entry points: <see cref="OpenAsync"/> loads and lints the
/// fixtures, resolves the target (starting the embedded reference server when none is given) and probes
/// it; cases then run (all at once through <see cref="RunAllAsync"/>, or one by one from NUnit through
/// <see cref="RunCaseAsync"/>); <see cref="CloseAsync"/> writes every report and decides the exit code.
/// A report is always written, even when the target is unreachable or the run is interrupted.
/// </summary>
public sealed partial class RunSession : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, CaseResult> results = new(StringComparer.Ordinal);
    private readonly ILaunchedTarget? launched;
    private readonly Action<string> log;
    private readonly CaseRunner runner;

    private RunSession(RunOptions options, FixtureSet fixtures, IReadOnlyList<ConformanceCase> cases, Target target,
        ILaunchedTarget? launched, RunSettings settings, string outputDirectory, Action<string> log)
    {
        Options = options;
        Fixtures = fixtures;
        Cases = cases;
        Target = target;
        this.launched = launched;
        Settings = settings;
        OutputDirectory = outputDirectory;
        this.log = log;
        runner = new CaseRunner(target, settings, options.Checks);
    }

    public RunOptions Options { get; }
    public FixtureSet Fixtures { get; }
    public IReadOnlyList<ConformanceCase> Cases { get; }
    public Target Target { get; }
    public RunSettings Settings { get; }
    public string OutputDirectory { get; }
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;
    public string? ServerIdentity { get; private set; }

    /// <summary>What the probe's TLS handshake settled with an https target; null over plain TCP.</summary>
    public TlsSessionInfo? TlsSession { get; private set; }

    /// <summary>Set when the probe found the target unusable; no case runs then.</summary>
    public string? Unreachable { get; private set; }

    /// <summary>Opens a run. Throws <see cref="UsageException"/> (exit 2) for bad fixtures, options or profiles.</summary>
    public static async Task<RunSession> OpenAsync(RunOptions options, Func<CancellationToken, Task<ILaunchedTarget>> startReference, Action<string> log, CancellationToken ct)
    {
        // Chromium first: the driver's and the browser's start overlaps the fixture load, the server start and the probe.
        var chromium = StartChromiumEarly(options);
        try
        {
            return await OpenWithAsync(options, startReference, log, chromium, ct).ConfigureAwait(false);
        }
        catch when (chromium is not null)
        {
            await chromium.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<RunSession> OpenWithAsync(RunOptions options, Func<CancellationToken, Task<ILaunchedTarget>> startReference, Action<string> log,
        ChromiumLaunch? chromium, CancellationToken ct)
    {
        string root;
        FixtureSet fixtures;
        IReadOnlyList<ConformanceCase> cases;
        try
        {
            root = RepoPaths.Root();
            fixtures = ProductFixtures.Load(root, options.Checks).ThrowIfInvalid();
        }
        catch (Exception e) when (e is FixtureException or DirectoryNotFoundException)
        {
            throw new UsageException(e.Message);
        }
        cases = CaseFilter.Apply(fixtures.Cases, options.Filter);
        if (options.Shard is { } shard) cases = shard.Select(cases);

        Target target;
        ILaunchedTarget? launched = null;
        try
        {
            if (options.TargetUrl is { } url)
            {
                var uri = Target.ParseUrl(url);
                var profilePath = options.ProfilePath ?? Path.Combine(RepoPaths.Targets(root), "generic.json");
                if (options.ProfilePath is null)
                    log($"no profile given: using {Path.GetRelativePath(root, profilePath)}, so cases that need other roles will SKIP (pass --profile or set {RunOptions.Env.Profile})");
                var tls = uri.Scheme != Uri.UriSchemeHttps ? null
                    : options.CaFile is { } ca ? TlsClientOptions.FromPemFile(ca)
                    : options.Insecure ? TlsClientOptions.Insecure : TlsClientOptions.SystemTrust;
                target = new Target(uri, TargetProfileLoader.Load(profilePath), tls);
            }
            else
            {
                log(options.Server is { } bundled and not Servers.BundledTargets.Reference
                    ? $"starting the bundled {bundled} server on a free loopback port"
                    : "no target given: starting the embedded reference server (Kestrel) on a free loopback port");
                launched = await startReference(ct).ConfigureAwait(false);
                // A server the suite started with --tls is trusted through --ca's path: its own certificate, nothing else.
                target = new Target(launched.BaseUri, TargetProfileLoader.Load(options.ProfilePath ?? launched.ProfilePath),
                    launched.TrustAnchorFile is { } anchor ? TlsClientOptions.FromPemFile(anchor, "--tls: the certificate made for this run") : null)
                {
                    PlainBaseUri = launched.BaseUri.Scheme == Uri.UriSchemeHttps ? launched.PlainBaseUri : null,
                };
            }
        }
        catch (Exception e) when (e is ProfileException or ArgumentException)
        {
            if (launched is not null) await launched.DisposeAsync().ConfigureAwait(false);
            throw new UsageException(e.Message);
        }

        var settings = new RunSettings
        {
            Seed = options.Seed ?? RunSettings.NewSeed(),
            Parallelism = options.Parallelism,
            Strict = options.Strict,
            RequireAllMust = options.RequireAllMust,
            Wire = options.Wire,
        };
        var outputDir = options.OutputDirectory
            ?? Path.Combine(RepoPaths.Runs(root), target.Profile.Name, DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture));
        var session = new RunSession(options, fixtures, cases, target, launched, settings, outputDir, log) { chromium = chromium };
        session.ServerIdentity = launched?.Identity;
        try
        {
            var probe = await TargetProbe.CheckAsync(target, settings.Wire, ct).ConfigureAwait(false);
            session.ServerIdentity ??= probe.ServerHeader;
            session.TlsSession = probe.Tls;
            if (probe.Tls is { } tls) log($"TLS: {tls.Summary}; certificate {tls.Trust}");
            if (probe.NotHttp is { } garbage) log($"{garbage}; every case judges what it gets against the status-line grammar (RFC 9112 §4)");
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Interrupted while probing: stop the server this session started before giving up.
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        catch (TargetUnreachableException e)
        {
            session.Unreachable = e.TlsRefused
                ? $"target unreachable: {e.Message} Nothing was run."
                : $"target unreachable: {e.Message.TrimEnd('.')}. Nothing was run. Check that the server is up and that --target / {RunOptions.Env.Target} is right.";
            log(session.Unreachable);
        }
        return session;
    }

    /// <summary>Runs one case and records its result for the report.</summary>
    public async Task<CaseResult> RunCaseAsync(ConformanceCase @case, CancellationToken ct)
    {
        var result = BlameServerExit(await HarnessFault.GuardAsync(@case, () => runner.RunAsync(@case, ct), ct).ConfigureAwait(false));
        results[@case.Id] = result;
        return result;
    }

    /// <summary>Runs every selected case with the session's bounded parallelism.</summary>
    public async Task RunAllAsync(Action<CaseResult>? onCaseDone, CancellationToken ct)
    {
        if (Unreachable is not null) return;
        log($"running {Cases.Count} cases against {Target.BaseUri} (profile {Target.Profile.Name}, seed {Settings.Seed}, parallel {Settings.Parallelism})");
        // The browser cases (one Chromium, several cases at once) overlap with the raw cases instead of following
        // them: Chromium's start-up alone is about a second. This is safe for the raw verdicts because a short
        // bound is only used where a timeout is the accepted answer (StepBound); the bench proves it (20 runs,
        // no verdict change).
        var browser = Task.Run(() => RunBrowserCasesAsync(onCaseDone, ct), CancellationToken.None);
        var outcome = await new SuiteRunner(Target, Settings, Options.Checks).RunAsync(Cases, onCaseDone, ct).ConfigureAwait(false);
        foreach (var r in outcome.Results) results[r.Case.Id] = BlameServerExit(r);
        await browser.ConfigureAwait(false);
    }

    /// <summary>How the launched server died during the run, with its log tail; null while it runs.</summary>
    public string? ServerExit => (launched as IMonitoredTarget)?.ExitReport;

    /// <summary>
    /// Once the server the suite started has died, a case that did not pass says nothing about conformance:
    /// it becomes an ERROR naming the exit instead of a FAIL or WARN.
    /// </summary>
    private CaseResult BlameServerExit(CaseResult result) =>
        result.Verdict is Verdict.Pass or Verdict.Skip || ServerExit is not { } exit
            ? result
            : result with { Verdict = Verdict.Error, Reason = $"the server under test is gone: {exit}" };

    /// <summary>
    /// Writes every report and returns the gate's exit code. The end screen (ConsoleSummary) is the caller's to
    /// print, once the snapshot gate has decided: its last line is the gate's result.
    /// </summary>
    public RunResult Close(IReadOnlyList<IReportWriter> writers)
    {
        var ordered = Cases.Select(c => results.GetValueOrDefault(c.Id)).OfType<CaseResult>().ToList();
        ordered.AddRange(BrowserResultsWithAgreement().Select(BlameServerExit));
        var selected = Cases.Count + BrowserCases.Count;
        var complete = Unreachable is null && ordered.Count == selected;
        var exited = ServerExit;
        var note = Unreachable ?? (exited is not null ? $"ERROR: {exited}" : complete ? null : $"interrupted: {ordered.Count} of {selected} cases ran");
        var report = ReportBuilder.Build(
            new ReportBuilder.RunFacts(Target, Settings, Fixtures.Sha256, Fixtures.FileCount, Fixtures.Cases.Count, ServerIdentity,
                StartedAt, DateTimeOffset.UtcNow, complete, Options.Filter, note, Options.Shard?.ToString(), launched is not null, NotSelected(), Options.Label, Options.Operator, TlsSession),
            ordered);
        foreach (var writer in writers) writer.Write(report, OutputDirectory);
        if (exited is not null) log($"ERROR: {exited}");
        var exit = Unreachable is not null || exited is not null ? ExitCodes.TargetOrHarness : GateExitCode(report, Settings.Strict, Settings.RequireAllMust);
        return new RunResult(exit, report, OutputDirectory, note);
    }

    /// <summary>
    /// 1 on any FAIL or ERROR (and WARN under --strict), or an incomplete run; with --require-all-must also when
    /// a MUST case was not judged (skipped, or left out by the filter); otherwise 0.
    /// </summary>
    public static int GateExitCode(RunReport report, bool strict, bool requireAllMust = false)
    {
        var v = report.Summary.ByVerdict;
        var failures = v[Verdict.Fail.ToLabel()] + v[Verdict.Error.ToLabel()] + (strict ? v[Verdict.Warn.ToLabel()] : 0);
        var unjudgedMust = requireAllMust ? UnjudgedMust(report) : 0;
        return failures > 0 || unjudgedMust > 0 || !report.Run.Complete ? ExitCodes.ConformanceFailures : ExitCodes.Ok;
    }

    /// <summary>MUST cases of the catalog this run did not judge: skipped, or left out by the filter.</summary>
    public static int UnjudgedMust(RunReport report)
        => report.Cases.Count(c => c.Verdict == Verdict.Skip.ToLabel() && c.Level is "MUST" or "GRAMMAR") + (report.Run.NotSelected?.MustCases ?? 0);

    /// <summary>The catalog's cases the filter left out (a shard is not a filter: the merge brings its cases back).</summary>
    private NotSelectedInfo? NotSelected()
    {
        if (Options.Filter is null) return null;
        var selected = CaseFilter.Apply(Fixtures.Cases, Options.Filter).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var left = Fixtures.Cases.Where(c => !selected.Contains(c.Id)).ToList();
        return new NotSelectedInfo(left.Count, left.Count(c => c.Level == RequirementLevel.Must));
    }

    public async ValueTask DisposeAsync()
    {
        await DisposeBrowserAsync().ConfigureAwait(false);
        if (launched is not null) await launched.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>The whole run in one call, as the CLI performs it.</summary>
public static class ConformanceRun
{
    /// <param name="afterClose">Runs once the reports are written, while the session (target, profile) is still open: the snapshot gate.</param>
    /// <param name="onOpened">Runs once the target is up and the cases are selected, before any runs: the progress display learns its total here.</param>
    public static async Task<RunResult> ExecuteAsync(RunOptions options, Func<CancellationToken, Task<ILaunchedTarget>> startReference,
        IReadOnlyList<IReportWriter> writers, Action<string> log, Action<CaseResult>? onCaseDone, CancellationToken ct,
        Func<RunSession, RunResult, RunResult>? afterClose = null, Action<RunSession>? onOpened = null)
    {
        RunSession session;
        try
        {
            session = await RunSession.OpenAsync(options, startReference, log, ct).ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            log($"conformance: {e.Message}");
            return new RunResult(ExitCodes.BadUsage, null, null, e.Message);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Ctrl-C before the target was up or probed: no case ran, so there is nothing to report.
            const string why = "interrupted before any case ran";
            log($"conformance: {why}");
            return new RunResult(ExitCodes.ConformanceFailures, null, null, why);
        }
        catch (Servers.ServerLaunchException e)
        {
            // Not installed, or died/never answered during startup: a target problem, never a verdict.
            log($"conformance: ERROR: {e.Message}");
            return new RunResult(ExitCodes.TargetOrHarness, null, null, e.Message);
        }
        await using (session.ConfigureAwait(false))
        {
            if (session.Unreachable is null) onOpened?.Invoke(session);
            // Ctrl-C cancels the token: cases in flight end as interrupted and the report is still written.
            await session.RunAllAsync(onCaseDone, ct).ConfigureAwait(false);
            var result = session.Close(writers);
            return afterClose is null ? result : afterClose(session, result);
        }
    }
}
