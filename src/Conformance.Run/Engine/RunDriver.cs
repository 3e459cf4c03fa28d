using System.Globalization;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Reports;
using Conformance.Harness.Servers;
using Conformance.Harness.Targets;

namespace Conformance.Harness.Engine;

/// <summary>
/// What a caller shows while cases run and when they are done (the CLI's progress line and end screen); the
/// NUnit suite shows its own tests.
/// </summary>
public interface IRunProgress
{
    /// <summary>Runs the whole run inside the caller's display (a live progress line on a terminal).</summary>
    Task<T> RunAsync<T>(Func<Task<T>> body);

    /// <summary>The target is up and the cases are selected: the display learns its total.</summary>
    void Start(RunSession session);

    void OnCaseDone(CaseResult result);

    void Finish();

    /// <summary>The end of the run: the summary, the certification and the gate's result with its reason.</summary>
    void Summarise(RunReport report, string? reportDirectory, GateOutcome gate);
}

/// <summary>
/// Starts the embedded reference server for a run whose folder is given: the server's own log goes there
/// (server/logs/), never to the console. With <paramref name="tls"/> (--tls) it serves HTTPS with the
/// certificate that function makes, and says so through <see cref="ILaunchedTarget.TrustAnchorFile"/>.
/// </summary>
public delegate Func<CancellationToken, Task<ILaunchedTarget>> ReferenceStarter(string runDirectory, Func<RunCertificate>? tls);

/// <summary>
/// The one run driver both entry points call. The CLI calls <see cref="ExecuteAsync"/> (one run, or every
/// bundled server then the matrix); the NUnit suite calls <see cref="OpenAsync"/>, runs each case as a test,
/// then <see cref="ScreenshotAsync"/>. Start-up (settings, profile, bundled server, report folder), the
/// snapshot gate and the screenshot live here and nowhere else.
/// </summary>
public static class RunDriver
{
    /// <summary>
    /// Opens a run for a caller that runs the cases itself (the NUnit suite): the profile is validated, then the
    /// bundled or reference server started, the fixtures loaded and the target probed.
    /// Throws <see cref="UsageException"/> (bad settings or profile) and <see cref="ServerLaunchException"/>.
    /// </summary>
    public static async Task<RunSession> OpenAsync(RunOptions options, ReferenceStarter startReference, Action<string> log, CancellationToken ct)
    {
        var (prepared, start) = Prepare(options, startReference);
        return await RunSession.OpenAsync(prepared, start, log, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The whole of `conformance run`: one run against the given target or the server the options name, or
    /// with --server all each bundled server in turn and then matrix.md / matrix.html. Returns the exit code.
    /// </summary>
    public static async Task<int> ExecuteAsync(RunOptions options, ReferenceStarter startReference,
        Action<string> log, Func<IRunProgress> newProgress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(newProgress);
        if (options.TargetUrl is null && options.Server == BundledTargets.All)
        {
            try
            {
                return await RunMatrixAsync(options, startReference, log, newProgress, ct).ConfigureAwait(false);
            }
            catch (UsageException e)
            {
                log($"conformance: {e.Message}");
                return ExitCodes.BadUsage;
            }
        }
        return (await RunOneAsync(options, startReference, log, newProgress, ct).ConfigureAwait(false)).ExitCode;
    }

    /// <summary>One whole run: start-up, every case, every report, the snapshot gate and the screenshot.</summary>
    public static async Task<RunResult> RunOneAsync(RunOptions options, ReferenceStarter startReference,
        Action<string> log, Func<IRunProgress> newProgress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(newProgress);
        RunOptions prepared;
        Func<CancellationToken, Task<ILaunchedTarget>> start;
        try
        {
            (prepared, start) = Prepare(options, startReference);
        }
        catch (UsageException e)
        {
            log($"conformance: {e.Message}");
            return new RunResult(ExitCodes.BadUsage, null, null, e.Message);
        }
        var progress = newProgress();
        var gateMode = prepared.Gate ?? GateMode.Conformance;
        // The gate's own line ("snapshots: ...") is kept to explain the exit code on the last screen.
        string? snapshotNote = null;
        void SnapshotLog(string line)
        {
            if (line.StartsWith("snapshots:", StringComparison.Ordinal)) snapshotNote = line;
            log(line);
        }
        var result = await progress.RunAsync(() => ConformanceRun.ExecuteAsync(prepared, start, ReportWriters.All(), log, progress.OnCaseDone, ct,
            (session, closed) => SnapshotStep.Apply(session, closed, prepared.Accept, gateMode, SnapshotLog), progress.Start)).ConfigureAwait(false);
        progress.Finish();
        // After Ctrl-C the partial reports are written; the screenshot would only delay the exit.
        if (!ct.IsCancellationRequested && !prepared.NoScreenshot) await ScreenshotAsync(result.ReportDirectory, prepared.ChromiumPath, log).ConfigureAwait(false);
        // The last screen holds the verdict: everything above scrolls away, the gate's result is the last line.
        if (result.Report is { } report)
            progress.Summarise(report, result.ReportDirectory, GateOutcome.Explain(report, result.ExitCode, gateMode, snapshotNote, result.Message));
        return result;
    }

    /// <summary>
    /// Saves report.png beside report.html when both Chromium and the report exist; says why when it cannot.
    /// The only place the screenshot is taken (run, merge and the NUnit suite all call it).
    /// </summary>
    public static async Task ScreenshotAsync(string? reportDirectory, string? chromiumPath, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (reportDirectory is null || !File.Exists(Path.Combine(reportDirectory, HtmlReportWriter.FileName))) return;
        var png = Path.Combine(reportDirectory, HtmlScreenshot.FileName);
        var skipped = await HtmlScreenshot.CaptureAsync(Path.Combine(reportDirectory, HtmlReportWriter.FileName), png, chromiumPath).ConfigureAwait(false);
        log(skipped ?? $"screenshot: {png}");
    }

    /// <summary>
    /// Resolves what to start and where the run's folder is, and validates the profile before any server
    /// starts: a typo in a profile costs no server start-up and leaves nothing running.
    /// </summary>
    private static (RunOptions Options, Func<CancellationToken, Task<ILaunchedTarget>> Start) Prepare(RunOptions options, ReferenceStarter startReference)
    {
        CheckTls(options);
        if (options.TargetUrl is not null)
        {
            if (options.ProfilePath is { } given) ReadProfile(given);
            return (options, _ => throw new InvalidOperationException("a run against --target starts no server"));
        }
        if (options.Server == BundledTargets.All)
            throw new UsageException($"{RunOptions.Env.Server}={BundledTargets.All} runs every bundled server in turn, which only `conformance run --server all` does; name one server here");
        var server = options.Server ?? BundledTargets.Reference;
        var profile = ReadProfile(options.ProfilePath ?? BundledProfile(server));
        // The server's own folder (config, logs) sits under the run's report folder, so one folder holds the whole
        // run; it is fixed before the server starts, so even the reference server's log lands there.
        var dir = options.OutputDirectory ?? BundledTargets.DefaultRunDirectory(server == BundledTargets.Reference ? profile.Name : server);
        Func<RunCertificate>? tls = options.Tls ? () => RunCertificate.Create(BundledTargets.CertificateDirectory(dir)) : null;
        var reference = startReference(dir, tls);
        return (options with { OutputDirectory = dir }, server == BundledTargets.Reference ? reference : BundledTargets.Starter(server, dir, reference, tls));
    }

    /// <summary>
    /// --tls, --insecure and --ca each make sense in one place only; a combination that would be silently
    /// ignored (a plain http:// target with --ca, say) is refused, so nobody believes TLS was tested when it was not.
    /// </summary>
    private static void CheckTls(RunOptions options)
    {
        if (options.Insecure && options.CaFile is not null)
            throw new UsageException("--insecure and --ca contradict each other (--ca verifies the certificate against FILE, --insecure verifies nothing): give one");
        if (options.TargetUrl is { } url)
        {
            if (options.Tls)
                throw new UsageException("--tls makes a bundled server serve HTTPS; for a server you started, give an https:// URL to --target");
            var https = url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
            if (!https && (options.Insecure || options.CaFile is not null))
                throw new UsageException($"{(options.Insecure ? "--insecure" : "--ca")} applies to an https:// target, and {url} is plain http");
            return;
        }
        if (options.Insecure || options.CaFile is not null)
            throw new UsageException($"{(options.Insecure ? "--insecure" : "--ca")} applies to an https:// --target; with --server and --tls the run trusts the certificate it made itself");
        var server = options.Server ?? BundledTargets.Reference;
        if (options.Tls && server != BundledTargets.All && !BundledTargets.TlsCapable.Contains(server, StringComparer.Ordinal))
            throw new UsageException($"--tls: {server} has no TLS configuration in the suite; --tls works with {string.Join(", ", BundledTargets.TlsCapable)}");
    }

    private static string BundledProfile(string server) =>
        BundledServer.ByName(server)?.ProfilePath ?? Path.Combine(RepoPaths.Targets(RepoPaths.Root()), BundledTargets.Reference + ".json");

    private static TargetProfile ReadProfile(string path)
    {
        try
        {
            return TargetProfileLoader.Load(path);
        }
        catch (ProfileException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>Each bundled target in turn, each a full run in its own folder; then matrix.md and matrix.html. Exit: the worst run's.</summary>
    private static async Task<int> RunMatrixAsync(RunOptions options, ReferenceStarter startReference,
        Action<string> log, Func<IRunProgress> newProgress, CancellationToken ct)
    {
        if (options.ProfilePath is not null)
            throw new UsageException("--profile cannot be combined with --server all: each bundled server uses its own profile");
        if (options.Tls)
            throw new UsageException($"--tls cannot be combined with --server all: only {string.Join(", ", BundledTargets.TlsCapable)} serve TLS; run each with --server NAME --tls");
        var matrixDir = Path.GetFullPath(options.OutputDirectory
            ?? Path.Combine(RepoPaths.Runs(RepoPaths.Root()), "matrix", DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture)));
        var runs = new List<MatrixRun>();
        foreach (var server in BundledTargets.Names)
        {
            if (ct.IsCancellationRequested) break;
            log($"== {server}");
            var dir = Path.Combine(matrixDir, server);
            var result = await RunOneAsync(options with { Server = server, OutputDirectory = dir }, startReference, log, newProgress, ct).ConfigureAwait(false);
            runs.Add(new MatrixRun
            {
                Server = server,
                Report = result.Report,
                ReportFolder = result.Report is null ? null : server,
                HasHtml = File.Exists(Path.Combine(dir, HtmlReportWriter.FileName)),
                ExitCode = result.ExitCode,
                Note = result.Message ?? result.Report?.Run.Note,
            });
        }
        var matrix = MatrixReport.Build(runs, DateTimeOffset.UtcNow);
        MatrixWriter.Write(matrix, matrixDir);
        log($"matrix: {matrix.Rows.Count} cases x {runs.Count} servers, {matrix.DifferingRows} differ; {Path.Combine(matrixDir, MatrixWriter.HtmlFile)}");
        foreach (var r in runs) log($"  {r.Server,-10} exit {r.ExitCode}{(r.Report is null ? ": not run: " + r.Note?.Split('\n')[0] : "")}");
        return matrix.ExitCode;
    }
}
