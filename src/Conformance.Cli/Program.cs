using System.CommandLine;
using Conformance.Cli;
using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Model;
using Conformance.Harness.Reports;
using Conformance.Harness.Snapshots;
using Spectre.Console;

// The command line over the harness. Arguments win over CONFORMANCE_* variables; every problem with
// them ends in one message and exit code 2 (README, "Exit codes").

var target = new Option<string?>("--target") { Description = $"Base URL of a server you started, e.g. http://127.0.0.1:8080 (or {RunOptions.Env.Target}). Without it the embedded reference server is started." };
var profile = new Option<string?>("--profile") { Description = $"Profile JSON naming the target's roles (or {RunOptions.Env.Profile}); see fixtures/targets/README.md." };
var server = new Option<string?>("--server") { Description = $"A bundled server for the suite to start: reference, nginx, apache, or all (each in turn, then a matrix report; or {RunOptions.Env.Server})." };
server.AcceptOnlyFromAmong([.. Conformance.Harness.Servers.BundledTargets.Names, Conformance.Harness.Servers.BundledTargets.All]);
// Numbers are read as text and checked by RunOptions.ParseInt, so "--seed abc" gets a plain message, not a .NET type name.
var seed = new Option<string?>("--seed") { Description = $"Seed for every random value, to reproduce a run (or {RunOptions.Env.Seed})." };
var parallel = new Option<string?>("--parallel") { Description = $"Cases run at once, each on its own connection, 1-{RunSettings.MaxParallelism} (default {RunSettings.DefaultParallelism}; or {RunOptions.Env.Parallel})." };
var filter = new Option<string?>("--filter") { Description = $"Comma-separated areas, levels (MUST/SHOULD/MAY) or case ids with * (or {RunOptions.Env.Filter})." };
var strict = new Option<bool>("--strict") { Description = $"Count WARN as failure for the exit code (or {RunOptions.Env.Strict}=true)." };
var output = new Option<string?>("--out") { Description = $"Folder for this run's reports (default reports/runs/<profile>/<time>; or {RunOptions.Env.Output})." };
var chromium = new Option<string?>("--chromium") { Description = $"Chromium executable for the browser cases and the report screenshot (default /usr/bin/chromium; or {RunOptions.Env.Chromium})." };
var gate = new Option<string?>("--gate") { Description = $"What the exit code gates on: conformance (default: any FAIL or ERROR fails) or baseline (only a change against the approved snapshots fails; or {RunOptions.Env.Gate})." };
// Output detail only: how much the console shows, never what is judged or written to the reports.
var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only the verdict: where the reports are, the certification and the gate's result (errors still go to stderr)." };
var verbose = new Option<bool>("--verbose", "-v") { Description = "Also print every case as it finishes, and each FAIL, ERROR and WARN with its findings before the summary." };
var label = new Option<string?>("--label") { Description = $"What is tested, shown in the certificate: product, build, configuration (or {RunOptions.Env.Label})." };
var operatorName = new Option<string?>("--operator") { Description = $"Who runs the suite, shown in the certificate: a person or a CI job (or {RunOptions.Env.Operator})." };
var accept = new Option<bool>("--accept") { Description = $"Approve this run's snapshots into reports/baselines/<profile>/ (or {RunOptions.Env.Accept}=true)." };

var run = new Command("run", "Run the conformance cases against a target and write the reports.");
foreach (var o in new Option[] { target, profile, server, seed, parallel, filter, strict, output, accept, gate, chromium, quiet, verbose, label, operatorName }) run.Options.Add(o);
var runBounds = new RunSpeedOptions();
runBounds.AddTo(run);
run.SetAction(async (parse, ct) =>
{
    RunOptions options;
    bool accepting;
    bool skipScreenshot;
    try
    {
        var env = RunOptions.FromEnvironment();
        accepting = parse.GetValue(accept) || Baselines.AcceptFromEnvironment();
        options = env with
        {
            TargetUrl = parse.GetValue(target) ?? (parse.GetValue(server) is null ? env.TargetUrl : null),
            ProfilePath = parse.GetValue(profile) ?? env.ProfilePath,
            Seed = parse.GetValue(seed) is { } sd ? RunOptions.ParseInt(sd, "--seed", 0, int.MaxValue) : env.Seed,
            Parallelism = parse.GetValue(parallel) is { } p ? RunOptions.ParseInt(p, "--parallel", 1, RunSettings.MaxParallelism) : env.Parallelism,
            Filter = parse.GetValue(filter) ?? env.Filter,
            Strict = parse.GetValue(strict) || env.Strict,
            OutputDirectory = parse.GetValue(output) ?? env.OutputDirectory,
            Server = parse.GetValue(server) ?? (parse.GetValue(target) is null && env.TargetUrl is null ? env.Server : null),
            ChromiumPath = parse.GetValue(chromium) ?? env.ChromiumPath,
            Gate = parse.GetValue(gate) is { } g ? RunOptions.ParseGate(g, "--gate") : env.Gate,
            Label = parse.GetValue(label) ?? env.Label,
            Operator = parse.GetValue(operatorName) ?? env.Operator,
        };
        options = runBounds.Apply(parse, options);
        skipScreenshot = runBounds.SkipScreenshot(parse);
        if (options.Server is { } named) Conformance.Harness.Servers.BundledTargets.Validate(named, RunOptions.Env.Server, allowAll: true);
        if (parse.GetValue(target) is not null && parse.GetValue(server) is not null)
            throw new UsageException("--target and --server both name the server under test; give one of them");
        if (parse.GetValue(quiet) && parse.GetValue(verbose))
            throw new UsageException("--quiet and --verbose ask for opposite amounts of output; give one of them");
    }
    catch (UsageException e)
    {
        Console.Error.WriteLine($"conformance: {e.Message}");
        return ExitCodes.BadUsage;
    }

    // One run, the same for a given target, one started server, or each server of --server all.
    var console = RunConsole.ForStandardOutput();
    var detail = parse.GetValue(quiet) ? ConsoleDetail.Quiet : parse.GetValue(verbose) ? ConsoleDetail.Verbose : ConsoleDetail.Normal;
    void Say(string line)
    {
        // Errors stay visible even under --quiet, on stderr where a CI step shows them.
        if (line.StartsWith("conformance:", StringComparison.Ordinal)) Console.Error.WriteLine(line);
        else if (detail != ConsoleDetail.Quiet) console.WriteLine(line);
    }
    async Task<RunResult> RunOneAsync(RunOptions runOptions, Func<CancellationToken, Task<ILaunchedTarget>> start)
    {
        var progress = new RunProgress(console, detail);
        string? snapshotNote = null;
        void SnapshotLog(string line)
        {
            if (line.StartsWith("snapshots:", StringComparison.Ordinal)) snapshotNote = line;
            Say(line);
        }
        var gateMode = runOptions.Gate ?? GateMode.Conformance;
        var result = await progress.RunAsync(() => ConformanceRun.ExecuteAsync(runOptions, start, ReportWriters.All(), Say, progress.OnCaseDone, ct,
            (session, closed) => SnapshotStep.Apply(session, closed, accepting, gateMode, SnapshotLog), progress.Start)).ConfigureAwait(false);
        // After Ctrl-C the partial reports are written; the screenshot would only delay the exit.
        if (!ct.IsCancellationRequested && !skipScreenshot && result.ReportDirectory is { } dir && File.Exists(Path.Combine(dir, HtmlReportWriter.FileName)))
        {
            var skipped = await HtmlScreenshot.CaptureAsync(Path.Combine(dir, HtmlReportWriter.FileName), Path.Combine(dir, HtmlScreenshot.FileName), runOptions.ChromiumPath).ConfigureAwait(false);
            Say(skipped ?? $"screenshot: {Path.Combine(dir, HtmlScreenshot.FileName)}");
        }
        // The last screen holds the verdict: everything above scrolls away, the gate's result is the last line.
        if (result.Report is { } report)
            ConsoleSummary.Write(console, report, result.ReportDirectory, GateOutcome.Explain(report, result.ExitCode, gateMode, snapshotNote, result.Message), detail);
        return result;
    }

    try
    {
        return await ServerRuns.ExecuteAsync(options, RunOneAsync, Say, ct).ConfigureAwait(false);
    }
    catch (UsageException e)
    {
        Console.Error.WriteLine($"conformance: {e.Message}");
        return ExitCodes.BadUsage;
    }
});

var oldReport = new Argument<string>("old") { Description = "report.json of the earlier run." };
var newReport = new Argument<string>("new") { Description = "report.json of the later run." };
var diffOut = new Option<string?>("--out") { Description = $"Folder to write {ReportDiff.MarkdownFileName} and {ReportDiff.HtmlFileName} into." };
var diffStrict = new Option<bool>("--strict") { Description = "Count PASS -> WARN as a regression too." };
var diff = new Command("diff", "Compare two report.json files: regressions, fixed, changed, added and removed cases. Exit 1 on any regression.");
diff.Arguments.Add(oldReport);
diff.Arguments.Add(newReport);
diff.Options.Add(diffOut);
diff.Options.Add(diffStrict);
diff.SetAction(parse => ReportDiff.Run(parse.GetValue(oldReport)!, parse.GetValue(newReport)!, parse.GetValue(diffOut), parse.GetValue(diffStrict), Console.Out, Console.Error));

var lint = new Command("lint", "Check every fixture file; print each error with its file, line and field.");
lint.SetAction(_ =>
{
    var root = RepoPaths.Root();
    var set = FixtureSet.Load(RepoPaths.Cases(root), root, NamedCheckRegistry.Default);
    foreach (var e in set.Errors) Console.Error.WriteLine(e);
    Console.WriteLine($"{set.Cases.Count} cases in {set.FileCount} files, {set.Errors.Count} errors (fixtures {set.Sha256[..12]}…)");
    return set.Errors.Count == 0 ? ExitCodes.Ok : ExitCodes.BadUsage;
});

var list = new Command("list", "List the cases: id, area, level, RFC section and fixture line (browser cases: their catalog line).");
list.SetAction(_ =>
{
    var root = RepoPaths.Root();
    var set = FixtureSet.Load(RepoPaths.Cases(root), root, NamedCheckRegistry.Default);
    foreach (var c in set.Cases.Concat(Conformance.Harness.Browser.BrowserCatalog.Cases)) Console.WriteLine($"{c.Id,-60} {c.Area,-16} {c.Level.ToKeyword(),-6} {c.Rfc,-16} {c.Location}");
    return set.Errors.Count == 0 ? ExitCodes.Ok : ExitCodes.BadUsage;
});

var rootCommand = new RootCommand("HTTP/1.1 server conformance suite: byte-exact requests, judged against RFC 9110, 9112 and 6265.");
rootCommand.Subcommands.Add(run);
rootCommand.Subcommands.Add(lint);
rootCommand.Subcommands.Add(list);
rootCommand.Subcommands.Add(diff);
rootCommand.Subcommands.Add(MergeCommand.Create());
rootCommand.Subcommands.Add(BenchCommand.Create());

var parsed = rootCommand.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors) Console.Error.WriteLine($"conformance: {error.Message}");
    Console.Error.WriteLine("conformance: see --help");
    return ExitCodes.BadUsage;
}
// Ctrl-C / SIGTERM cancel the action's token; the run then writes its partial reports (marked incomplete)
// and stops the servers it started. System.CommandLine kills the process if the action has not returned
// within this timeout (its default, 2 s, is shorter than stopping a bundled server can take).
return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(20) }).ConfigureAwait(false);
