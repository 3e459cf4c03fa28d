using System.Globalization;
using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Reports;
using Conformance.Harness.Servers;

namespace Conformance.Cli;

/// <summary>
/// `run` as the CLI performs it: against a given target, one server the suite starts (--server reference |
/// nginx | apache), or every bundled server one after another (--server all) followed by the matrix.
/// </summary>
internal static class ServerRuns
{
    /// <summary>One whole run (reports, snapshots, ...) with the given options and start delegate.</summary>
    public delegate Task<RunResult> RunOne(RunOptions options, Func<CancellationToken, Task<ILaunchedTarget>> start);

    public static async Task<int> ExecuteAsync(RunOptions options, RunOne runOne, Action<string> log, CancellationToken ct)
    {
        if (options.TargetUrl is not null)
            return (await runOne(options, _ => throw new InvalidOperationException("a run against --target starts no server")).ConfigureAwait(false)).ExitCode;
        if (options.Server is null)
        {
            // The embedded reference server: its folder is fixed before it starts, so Kestrel's log lands in the run folder.
            var runDir = options.OutputDirectory ?? BundledTargets.DefaultRunDirectory(ProfileName(options.ProfilePath));
            return (await runOne(options with { OutputDirectory = runDir }, ReferenceLauncher.Starter(runDir)).ConfigureAwait(false)).ExitCode;
        }
        if (options.Server == BundledTargets.All) return await RunMatrixAsync(options, runOne, log, ct).ConfigureAwait(false);

        // The server's folder (config, logs) sits under the run's report folder, so one folder holds the whole run.
        var dir = options.OutputDirectory ?? BundledTargets.DefaultRunDirectory(options.Server);
        var starter = BundledTargets.Starter(options.Server, dir, ReferenceLauncher.Starter(dir));
        return (await runOne(options with { OutputDirectory = dir }, starter).ConfigureAwait(false)).ExitCode;
    }

    /// <summary>
    /// The profile's name, which names the default run folder (reports/runs/&lt;profile&gt;/&lt;time&gt;). A profile
    /// that cannot be read falls back to "reference": the run then stops on that profile with its own message.
    /// </summary>
    private static string ProfileName(string? profilePath)
    {
        if (profilePath is null) return BundledTargets.Reference;
        try
        {
            return Conformance.Harness.Targets.TargetProfileLoader.Load(profilePath).Name;
        }
        catch (Exception e) when (e is Conformance.Harness.Targets.ProfileException or IOException or UnauthorizedAccessException)
        {
            return BundledTargets.Reference;
        }
    }

    /// <summary>Each bundled target in turn, each a full run in its own folder; then matrix.md and matrix.html. Exit: the worst run's.</summary>
    private static async Task<int> RunMatrixAsync(RunOptions options, RunOne runOne, Action<string> log, CancellationToken ct)
    {
        if (options.ProfilePath is not null)
            throw new UsageException("--profile cannot be combined with --server all: each bundled server uses its own profile");
        var matrixDir = Path.GetFullPath(options.OutputDirectory
            ?? Path.Combine(RepoPaths.Runs(RepoPaths.Root()), "matrix", DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture)));
        var runs = new List<MatrixRun>();
        foreach (var server in BundledTargets.Names)
        {
            if (ct.IsCancellationRequested) break;
            log($"== {server}");
            var dir = Path.Combine(matrixDir, server);
            var starter = BundledTargets.Starter(server, dir, ReferenceLauncher.Starter(dir));
            var result = await runOne(options with { Server = server, OutputDirectory = dir }, starter).ConfigureAwait(false);
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
