using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Reports;
using Conformance.Harness.Snapshots;

namespace Conformance.Cli;

/// <summary>
/// `conformance bench --runs N [run options]`: runs the catalog N times, each as its own `conformance run`
/// process (so every figure includes what a CI step pays: process start, fixture load, server start), and
/// prints wall time, cases per second, peak memory and how many cases changed verdict between runs.
/// A measurement, never a test: it asserts nothing about time. tools/bench/bench.sh wraps it.
/// </summary>
internal static partial class BenchCommand
{
    private const string TimeTool = "/usr/bin/time";

    public static Command Create()
    {
        var runs = new Option<string?>("--runs") { Description = "How many runs (default 20)." };
        var seeds = new Option<string?>("--seeds") { Description = "Seed sweep: run i uses seed i (1..N) and is compared with the approved baselines of its profile; prints the baseline changes. Replaces --runs and --seed." };
        var keep = new Option<string?>("--work") { Description = "Folder for the runs' reports and logs (default: a new folder under reports/runs/bench/)." };
        var browserSplit = new Option<bool>("--browser-split") { Description = "What the browser cases cost: each of the N rounds runs the raw catalog (every area but browser) and the whole catalog with Chromium, in alternating order; prints both suite times and their ratio. Not with --filter or --seeds." };
        var bench = new Command("bench", "Run the catalog N times as separate processes; print the median and spread of wall time, cases/s, peak memory and verdict changes. Other options (--target, --profile, --server, --parallel, --read-timeout, ...) pass to `run`; --seed defaults to 1 so every run draws the same values.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        bench.Options.Add(runs);
        bench.Options.Add(keep);
        bench.Options.Add(seeds);
        bench.Options.Add(browserSplit);
        bench.SetAction(async (parse, ct) =>
        {
            int n;
            int? sweep;
            try
            {
                n = parse.GetValue(runs) is { } r ? RunOptions.ParseInt(r, "--runs", 1, 1000) : 20;
                sweep = parse.GetValue(seeds) is { } s ? RunOptions.ParseInt(s, "--seeds", 1, 1000) : null;
                if (sweep is { } count) n = count;
                if (sweep is not null && parse.UnmatchedTokens.Contains("--seed")) throw new UsageException("--seeds sweeps seeds 1..N; leave --seed out");
                if (parse.GetValue(browserSplit) && sweep is not null) throw new UsageException("--browser-split times runs, --seeds compares them with baselines: use one at a time");
                if (parse.GetValue(browserSplit) && parse.UnmatchedTokens.Contains("--filter")) throw new UsageException("--browser-split chooses the two selections itself (the raw catalog, the whole catalog); leave --filter out");
            }
            catch (UsageException e)
            {
                Console.Error.WriteLine($"conformance bench: {e.Message}");
                return ExitCodes.BadUsage;
            }
            var pass = parse.UnmatchedTokens.ToList();
            if (!pass.Contains("--seed") && sweep is null) pass.AddRange(["--seed", "1"]);
            if (!pass.Contains("--no-screenshot")) pass.Add("--no-screenshot");
            var work = parse.GetValue(keep) ?? Path.Combine(RepoPaths.Runs(RepoPaths.Root()), "bench", DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
            Directory.CreateDirectory(work);
            Console.WriteLine($"bench: {n} runs of `conformance run {string.Join(' ', pass)}{(sweep is null ? "" : " --seed <1..N>")}`; reports and logs in {work}");
            Console.WriteLine($"bench: {Environment.ProcessorCount} cores, load average {LoadAverage()} (figures taken while other work runs are noisy)");

            var root = RepoPaths.Root();
            if (parse.GetValue(browserSplit)) return await BrowserSplitAsync(n, work, pass, root, ct).ConfigureAwait(false);
            var samples = new List<Sample>();
            var fixtures = sweep is null ? null : FixtureSet.Load(RepoPaths.Cases(root), root, NamedCheckRegistry.Default).Cases.ToDictionary(c => c.Id, StringComparer.Ordinal);
            var baselineChanges = new List<string>();
            for (var i = 1; i <= n && !ct.IsCancellationRequested; i++)
            {
                IReadOnlyList<string> args = sweep is null ? pass : [.. pass, "--seed", i.ToString(CultureInfo.InvariantCulture)];
                var sample = await RunOnceAsync(i, work, args, ct).ConfigureAwait(false);
                samples.Add(sample);
                Console.WriteLine($"  run {i,3}: exit {sample.ExitCode}, {sample.Cases} cases, suite {sample.SuiteMs,7:0} ms, process {sample.ProcessMs,7:0} ms, peak {Mb(sample.PeakRssKb)}");
                if (sample.Report is null)
                {
                    Console.Error.WriteLine($"conformance bench: run {i} wrote no report.json; see {sample.Log}");
                    return ExitCodes.TargetOrHarness;
                }
                if (fixtures is not null)
                {
                    // Read-only: a sweep never writes .received files into the committed baselines.
                    var gate = Baselines.CompareReadOnly(sample.Report, root, fixtures);
                    if (gate is null)
                    {
                        Console.Error.WriteLine($"conformance bench: --seeds needs approved baselines of profile {sample.Report.Target.Profile} in {Baselines.Folder(root, sample.Report.Target.Profile)}");
                        return ExitCodes.BadUsage;
                    }
                    var port = new Uri(sample.Report.Target.Url).Port;
                    Console.WriteLine($"           seed {i}, port {port}: {gate.VerdictChanges} verdict, {gate.FindingChanges} findings, {gate.TranscriptChanges} transcript-only baseline change(s)");
                    foreach (var m in gate.Mismatches) baselineChanges.Add($"seed {i}, port {port}: {m.Describe()}");
                    foreach (var o in gate.Orphans) baselineChanges.Add($"seed {i}: {o} is approved but did not run");
                }
            }
            Print(samples);
            var flips = VerdictStability.Compare(samples.Select(s => s.Report!).ToList());
            Console.WriteLine($"verdict changes across {samples.Count} runs: {flips.Count} case(s)");
            foreach (var f in flips) Console.WriteLine($"  {f}");
            if (fixtures is not null)
            {
                Console.WriteLine($"baseline changes across {samples.Count} seeds (1..{samples.Count}): {baselineChanges.Count}");
                foreach (var c in baselineChanges) Console.WriteLine($"  {c}");
            }
            return flips.Count == 0 && baselineChanges.Count == 0 ? ExitCodes.Ok : ExitCodes.ConformanceFailures;
        });
        return bench;
    }

    private sealed record Sample(int ExitCode, double ProcessMs, double SuiteMs, int Cases, long? PeakRssKb, RunReport? Report, string Log);

    private static async Task<Sample> RunOnceAsync(int index, string work, IReadOnlyList<string> pass, CancellationToken ct)
    {
        var dir = Path.Combine(work, $"run-{index:000}");
        var log = Path.Combine(work, $"run-{index:000}.log");
        var rssFile = Path.Combine(work, $"run-{index:000}.rss");
        var self = SelfCommand();
        var args = new List<string>();
        var useTime = File.Exists(TimeTool);
        // GNU time reports the child's maximum resident set size in KiB (%M) after it exits.
        if (useTime) args.AddRange(["-f", "%M", "-o", rssFile, self.File]);
        args.AddRange(self.Prefix);
        args.AddRange(["run", "--out", dir]);
        args.AddRange(pass);
        var start = new ProcessStartInfo(useTime ? TimeTool : self.File)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {start.FileName}");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct).ConfigureAwait(false);
        clock.Stop();
        await File.WriteAllTextAsync(log, await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false), ct).ConfigureAwait(false);
        long? rss = useTime && File.Exists(rssFile) && long.TryParse(File.ReadAllLines(rssFile).LastOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var kb) ? kb : null;
        RunReport? report = null;
        var json = Path.Combine(dir, JsonReport.FileName);
        if (File.Exists(json)) report = JsonReport.Read(json);
        return new Sample(process.ExitCode, clock.Elapsed.TotalMilliseconds, report?.Run.DurationMs ?? double.NaN, report?.Cases.Count ?? 0, rss, report, log);
    }

    /// <summary>How to start this same CLI again: the apphost, or `dotnet conformance.dll`.</summary>
    private static (string File, IReadOnlyList<string> Prefix) SelfCommand()
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var dll = typeof(BenchCommand).Assembly.Location;
        return Path.GetFileNameWithoutExtension(host) == "dotnet" ? (host, [dll]) : (host, []);
    }

    private static void Print(IReadOnlyList<Sample> samples)
    {
        Console.WriteLine();
        Console.WriteLine($"{"figure",-28}{"median",10}{"p10",10}{"p90",10}{"min",10}{"max",10}");
        Row("suite run time (ms)", samples.Select(s => s.SuiteMs));
        Row("process wall time (ms)", samples.Select(s => s.ProcessMs));
        Row("cases per second (suite)", samples.Select(s => s.Cases / (s.SuiteMs / 1000)));
        if (samples.All(s => s.PeakRssKb is not null)) Row("peak memory, max RSS (MiB)", samples.Select(s => s.PeakRssKb!.Value / 1024.0));
        else Console.WriteLine($"peak memory: not measured ({TimeTool} is missing: apt-get install time)");
        Console.WriteLine($"cases per run: {string.Join(", ", samples.Select(s => s.Cases).Distinct())}; exit codes: {string.Join(", ", samples.Select(s => s.ExitCode).Distinct())}");
    }

    private static void Row(string name, IEnumerable<double> values)
    {
        var v = values.Order().ToList();
        Console.WriteLine($"{name,-28}{Percentile(v, 50),10:0.0}{Percentile(v, 10),10:0.0}{Percentile(v, 90),10:0.0}{v[0],10:0.0}{v[^1],10:0.0}");
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(IReadOnlyList<double> sorted, int p) => sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static string Mb(long? kb) => kb is { } k ? $"{k / 1024.0:0} MiB" : "n/a";

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
