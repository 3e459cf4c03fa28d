using System.Collections.Concurrent;
using Conformance.Harness.Browser;

namespace Conformance.Harness.Engine;

/// <summary>
/// The browser half of a run: the browser cases the filter selects run in one shared Chromium alongside the
/// raw cases, several at once (each in its own context), and at close each is put next to the raw verdicts
/// of its declared counterparts.
/// </summary>
public sealed partial class RunSession
{
    private readonly ConcurrentDictionary<string, CaseResult> browserResults = new(StringComparer.Ordinal);
    private readonly Lock browserGate = new();
    private BrowserRunner? browserRunner;
    private IReadOnlyList<BrowserCase>? browserCases;

    /// <summary>The run's Chromium, started by <see cref="OpenAsync"/> before anything else when browser cases will run.</summary>
    private ChromiumLaunch? chromium;

    /// <summary>The browser cases this run selected (the same filter as the fixture cases).</summary>
    public IReadOnlyList<BrowserCase> BrowserCases => browserCases ??= SelectBrowserCases(Options);

    private static List<BrowserCase> SelectBrowserCases(RunOptions options) =>
        CaseFilter.Select(BrowserCatalog.Cases, options.Filter)
            .Where(c => options.Shard?.Holds(c.Id) ?? true) // --shard splits the browser cases like the raw ones
            .Select(c => BrowserCatalog.Find(c.Id)!).ToList();

    /// <summary>The Chromium the browser cases use: --chromium / CONFORMANCE_CHROMIUM, else the headless shell, else /usr/bin/chromium (HtmlScreenshot.ChromiumPath).</summary>
    public string ChromiumPath => ChromiumFor(Options);

    private static string ChromiumFor(RunOptions options) => options.ChromiumPath ?? Reports.HtmlScreenshot.ChromiumPath;

    /// <summary>
    /// Starts the run's Chromium in the background when the run has browser cases and Chromium is installed,
    /// so that its start overlaps loading the fixtures, starting the target and probing it. Null otherwise.
    /// </summary>
    private static ChromiumLaunch? StartChromiumEarly(RunOptions options)
    {
        var selected = SelectBrowserCases(options);
        if (selected.Count == 0 || BrowserRunner.Unavailable(ChromiumFor(options)) is not null) return null;
        // A page for each case that may run, up to the parallel bound: one that cannot would leave a page unused.
        var httpsPossible = options.Tls || (options.TargetUrl?.StartsWith("https:", StringComparison.OrdinalIgnoreCase) ?? false);
        var runnable = selected.Count(c => BrowserProbes.MayRun(c, httpsPossible));
        var launch = new ChromiumLaunch(ChromiumFor(options), Math.Min(runnable, BrowserOptions.DefaultParallelism));
        launch.Start();
        return launch;
    }

    private BrowserRunner Browser
    {
        get
        {
            lock (browserGate)
            {
                return browserRunner ??= new BrowserRunner(Target, Settings, new BrowserOptions { ChromiumPath = ChromiumPath, RunDirectory = OutputDirectory }, chromium);
            }
        }
    }

    /// <summary>Runs one browser case (Chromium starts on first use) and records its result for the report.</summary>
    public async Task<CaseResult> RunBrowserCaseAsync(BrowserCase @case, CancellationToken ct)
    {
        var result = await Browser.RunAsync(@case, ct).ConfigureAwait(false);
        browserResults[@case.Id] = result;
        return result;
    }

    private async Task RunBrowserCasesAsync(Action<CaseResult>? onCaseDone, CancellationToken ct)
    {
        if (BrowserCases.Count == 0) return;
        log(BrowserRunner.Unavailable(ChromiumPath) is { } why
            ? $"browser cases: {BrowserCases.Count} will SKIP: {why}"
            : $"browser cases: {BrowserCases.Count} in {ChromiumPath}, screenshots in {Path.Combine(OutputDirectory, BrowserOptions.ScreenshotFolder)}");
        // All start together; BrowserRunner bounds how many hold a page at once.
        await Task.WhenAll(BrowserCases.Select(async c =>
        {
            if (ct.IsCancellationRequested) return;
            // Run first, then report: in onCaseDone?.Invoke(await ...) the argument is not evaluated at all when
            // there is no callback, and the browser cases silently never ran (a run "interrupted: 0 of N cases ran").
            var result = await RunBrowserCaseAsync(c, ct).ConfigureAwait(false);
            onCaseDone?.Invoke(result);
        })).ConfigureAwait(false);
    }

    /// <summary>The browser results in catalog order, each compared with the raw results of this run.</summary>
    private IEnumerable<CaseResult> BrowserResultsWithAgreement()
    {
        var raw = new Dictionary<string, CaseResult>(results, StringComparer.Ordinal);
        foreach (var c in BrowserCases)
        {
            if (browserResults.TryGetValue(c.Id, out var r)) yield return BrowserAgreement.Compare(c, r, raw);
        }
    }

    private async ValueTask DisposeBrowserAsync()
    {
        if (browserRunner is not null) await browserRunner.DisposeAsync().ConfigureAwait(false);
        browserRunner = null;
        if (chromium is not null) await chromium.DisposeAsync().ConfigureAwait(false);
        chromium = null;
    }
}
