using Conformance.Harness.Browser;
using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Reports;

namespace Conformance.Cli;

/// <summary>
/// `conformance bench --browser-split`: the price of the browser cases. Each round runs the raw catalog
/// (a filter naming every fixture area, so no browser case is selected and Chromium never starts) and the
/// whole catalog with Chromium, alternating which goes first so that a machine growing busier or quieter
/// weighs on both alike. The figure is the ratio of the two suite-time medians, and the median of the
/// per-round ratios (two runs next to each other in time share the machine's load).
/// </summary>
internal static partial class BenchCommand
{
    private static async Task<int> BrowserSplitAsync(int rounds, string work, IReadOnlyList<string> pass, string root, CancellationToken ct)
    {
        var areas = FixtureSet.Load(RepoPaths.Cases(root), root, NamedCheckRegistry.Default).Cases
            .Select(c => c.Area).Where(a => !BrowserCatalog.IsBrowserArea(a)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        IReadOnlyList<string> rawArgs = [.. pass, "--filter", string.Join(',', areas)];
        Console.WriteLine($"bench: raw catalog = --filter {string.Join(',', areas)}; with Chromium = the whole catalog ({BrowserCatalog.All.Count} browser cases)");

        var raw = new List<Sample>();
        var browser = new List<Sample>();
        for (var i = 1; i <= rounds && !ct.IsCancellationRequested; i++)
        {
            // Odd rounds start with the raw catalog, even rounds with Chromium.
            foreach (var withBrowser in i % 2 == 1 ? new[] { false, true } : [true, false])
            {
                var index = 2 * i - (withBrowser == (i % 2 == 1) ? 0 : 1);
                var sample = await RunOnceAsync(index, work, withBrowser ? pass : rawArgs, ct).ConfigureAwait(false);
                (withBrowser ? browser : raw).Add(sample);
                var label = withBrowser ? "with Chromium" : "raw catalog";
                Console.WriteLine($"  round {i,3} {label,-14}: exit {sample.ExitCode}, {sample.Cases} cases, suite {sample.SuiteMs,7:0} ms, process {sample.ProcessMs,7:0} ms, peak {Mb(sample.PeakRssKb)}");
                if (sample.Report is null)
                {
                    Console.Error.WriteLine($"conformance bench: run {index} wrote no report.json; see {sample.Log}");
                    return ExitCodes.TargetOrHarness;
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine("raw catalog:");
        Print(raw);
        Console.WriteLine();
        Console.WriteLine("with Chromium:");
        Print(browser);
        Console.WriteLine();
        foreach (var (name, pick) in new (string, Func<Sample, double>)[] { ("suite time", s => s.SuiteMs), ("process wall time", s => s.ProcessMs) })
        {
            var r = Median(raw.Select(pick));
            var b = Median(browser.Select(pick));
            var perRound = raw.Zip(browser, (x, y) => pick(y) / pick(x)).Order().ToList();
            Console.WriteLine($"{name}: with Chromium {b:0} ms / raw catalog {r:0} ms = {b / r:0.00}x (per round: median {Percentile(perRound, 50):0.00}x, min {perRound[0]:0.00}x, max {perRound[^1]:0.00}x)");
        }

        // Every run against every other: the raw cases must get the same verdicts with and without Chromium
        // running beside them, and the browser cases the same verdicts in every run that has them.
        var flips = VerdictStability.Compare([.. raw.Concat(browser).Select(s => s.Report!)])
            .Where(f => f.Verdicts.Where(v => v != "-").Distinct(StringComparer.Ordinal).Count() > 1).ToList();
        Console.WriteLine($"verdict changes across {raw.Count + browser.Count} runs: {flips.Count} case(s)");
        foreach (var f in flips) Console.WriteLine($"  {f}");
        return flips.Count == 0 ? ExitCodes.Ok : ExitCodes.ConformanceFailures;
    }

    private static double Median(IEnumerable<double> values) => Percentile(values.Order().ToList(), 50);
}
